// MKCOL (RFC 4918 9.3, extended RFC 5689), MKCALENDAR (RFC 4791 5.3.1), GET/HEAD, PUT (RFC 4791 5.3.2,
// RFC 6352 6.3.2) with If-Match / If-None-Match, DELETE and MOVE (RFC 4918 9.9).
#include "parse/dav_xml/xml_writer.h"
#include "parse/ical/calendar_object.h"
#include "parse/vcard/vcard.h"
#include "protocol/dav/dav_context.h"

namespace bulwark::protocol::dav {
namespace {

namespace xml = parse::dav_xml;
using store::CollectionKind;

// The properties set by an extended MKCOL or MKCALENDAR body, and the collection kind its resourcetype asks for.
struct MkcolRequest {
  store::CollectionProps props;
  std::optional<CollectionKind> kind;
};

Result<MkcolRequest> read_mkcol(const DavContext& ctx) {
  BULWARK_TRY_ASSIGN(auto body, ctx.body_xml());
  MkcolRequest out;
  if (!body) return out;
  if (!body->is(xml::kDav, "mkcol") && !body->is(xml::kCalDav, "mkcalendar")) {
    return fail(Errc::invalid_syntax, "expected a DAV:mkcol or CALDAV:mkcalendar body");
  }
  for (const auto& set : body->children) {
    if (!set.is(xml::kDav, "set")) continue;
    const auto* prop = set.child(xml::kDav, "prop");
    if (!prop) continue;
    for (const auto& p : prop->children) {
      if (p.is(xml::kDav, "displayname")) out.props.display_name = p.text;
      if (p.is(xml::kApple, "calendar-color")) out.props.color = p.text;
      if (p.is(xml::kCalDav, "calendar-description") || p.is(xml::kCardDav, "addressbook-description")) {
        out.props.description = p.text;
      }
      if (p.is(xml::kCalDav, "supported-calendar-component-set")) {
        std::string list;
        for (const auto& comp : p.children) {
          auto name = comp.attribute("name");
          if (name != "VEVENT" && name != "VTODO" && name != "VJOURNAL") continue;
          if (!list.empty()) list += ",";
          list += name;
        }
        if (!list.empty()) out.props.components = list;
      }
      if (p.is(xml::kDav, "resourcetype")) {
        if (p.child(xml::kCalDav, "calendar")) out.kind = CollectionKind::calendar;
        if (p.child(xml::kCardDav, "addressbook")) out.kind = CollectionKind::addressbook;
      }
    }
  }
  return out;
}

std::optional<std::string> header_value(const DavContext& ctx, std::string_view name) {
  auto h = ctx.request.header(name);
  if (!h) return std::nullopt;
  return std::string(*h);
}

store::WriteCondition write_condition(const DavContext& ctx) {
  store::WriteCondition condition;
  condition.if_match = header_value(ctx, "if-match");
  if (auto none = ctx.request.header("if-none-match"); none && *none == "*") condition.if_none_match_any = true;
  return condition;
}

std::string_view content_type_of(CollectionKind kind) {
  return kind == CollectionKind::calendar ? "text/calendar; charset=utf-8" : "text/vcard; charset=utf-8";
}

// A PUT or MOVE that wrote the resource: 201 for a new one, 204 for a replaced one, with its new ETag.
HttpResponse written(const store::PutResult& result) {
  HttpResponse r;
  r.status = result.outcome == store::WriteOutcome::created ? 201 : 204;
  r.with("ETag", result.etag);
  return r;
}

}  // namespace

HttpResponse do_mkcol(DavContext& ctx, const DavPath& path, bool is_mkcalendar) {
  if (path.kind != PathKind::collection) {
    return HttpResponse::text(403, "collections are created at /dav/calendars/<user>/<name>/ or "
                                   "/dav/addressbooks/<user>/<name>/\n");
  }
  if (is_schedule_inbox(path) || is_schedule_outbox(path)) {
    return precondition_response(403, xml::kDav, "resource-must-be-null", "this name is the schedule inbox or outbox");
  }
  auto request = read_mkcol(ctx);
  if (!request) return error_response(request.error());
  auto kind = is_mkcalendar ? CollectionKind::calendar : request->kind.value_or(path.collection_kind);
  if (kind != path.collection_kind) {
    return precondition_response(403, xml::kDav, "valid-resourcetype",
                                 "calendars live under /dav/calendars/, address books under /dav/addressbooks/");
  }
  auto owner = ctx.owner_of(path.user);
  if (!owner) return error_response(owner.error());
  auto created = ctx.store.create_collection(ctx.who, *owner, kind, path.collection, request->props);
  if (!created) return error_response(created.error());
  HttpResponse r;
  r.status = 201;
  return r;
}

HttpResponse do_get(DavContext& ctx, const DavPath& path, bool head_only) {
  (void)head_only;  // the session drops the body of a HEAD response
  if (path.kind != PathKind::resource) {
    auto r = HttpResponse::text(405, "GET is for calendar objects and vCards; use PROPFIND on collections\n");
    r.with("Allow", "OPTIONS, PROPFIND, PROPPATCH, REPORT, MKCOL, MKCALENDAR, DELETE");
    return r;
  }
  auto info = ctx.collection(path);
  if (!info) return error_response(info.error());
  auto resource = ctx.store.get_resource(ctx.who, info->ref, path.resource);
  if (!resource) return error_response(resource.error());
  if (auto none = ctx.request.header("if-none-match"); none && (*none == resource->etag || *none == "*")) {
    HttpResponse r;
    r.status = 304;
    r.with("ETag", resource->etag);
    return r;
  }
  HttpResponse r;
  r.status = 200;
  r.body = std::move(resource->content);
  r.with("Content-Type", std::string(content_type_of(info->kind)));
  r.with("ETag", resource->etag);
  return r;
}

HttpResponse do_put(DavContext& ctx, const DavPath& path) {
  if (path.kind != PathKind::resource) return HttpResponse::text(405, "PUT needs a resource inside a collection\n");
  if (is_schedule_inbox(path)) return HttpResponse::text(403, "Only the server delivers into the schedule inbox\n");
  auto info = ctx.collection(path);
  if (!info) return error_response(info.error());
  const auto& body = ctx.request.body;
  const std::string_view ns = info->kind == CollectionKind::calendar ? xml::kCalDav : xml::kCardDav;
  if (body.size() > ctx.config.dav.max_resource_bytes) {
    return precondition_response(413, ns, "max-resource-size", "the object is larger than max-resource-size");
  }
  store::NewResource resource;
  resource.name = path.resource;
  resource.content = body;
  if (info->kind == CollectionKind::calendar) {
    parse::ical::CalendarLimits limits;
    limits.max_bytes = ctx.config.dav.max_resource_bytes;
    limits.max_instances = ctx.config.dav.max_recurrence_instances;
    auto object = parse::ical::check_calendar_object(body, info->components, limits);
    if (!object) return precondition_response(403, xml::kCalDav, object.error().precondition, object.error().detail);
    resource.uid = object->uid;
    resource.component = object->component;
    resource.start = object->start;
    resource.end = object->end;
    resource.is_recurring = object->is_recurring;
  } else {
    parse::vcard::VCardLimits limits;
    limits.max_bytes = ctx.config.dav.max_resource_bytes;
    auto card = parse::vcard::parse_vcard(body, limits);
    if (!card) return precondition_response(403, xml::kCardDav, "valid-address-data", card.error().detail);
    resource.uid = card->uid;
    resource.component = "VCARD";
  }
  // RFC 6638 3: the server schedules for objects in the owner's own calendars (not in calendars shared to it).
  std::optional<scheduling::PutPlan> plan;
  if (info->kind == CollectionKind::calendar && info->ref.owner == ctx.who.account_id()) {
    std::optional<std::string> old_object;
    if (auto old = ctx.store.get_resource(ctx.who, info->ref, path.resource)) old_object = std::move(old->content);
    plan = ctx.scheduler.plan_put(ctx.who, std::move(old_object), body);
    if (plan->is_content_changed) resource.content = plan->content;
  }
  auto result = ctx.store.put_resource(ctx.who, info->ref, resource, write_condition(ctx));
  if (!result) return error_response(result.error());
  if (plan && (result->outcome == store::WriteOutcome::created || result->outcome == store::WriteOutcome::updated)) {
    ctx.scheduler.execute(ctx.who, *plan);
    if (plan->is_content_changed) {
      // The stored object differs from the body (SCHEDULE-STATUS): no ETag, so the client fetches it again.
      HttpResponse r;
      r.status = result->outcome == store::WriteOutcome::created ? 201 : 204;
      return r;
    }
  }
  switch (result->outcome) {
    case store::WriteOutcome::precondition_failed:
      return HttpResponse::text(412, "The resource changed (If-Match / If-None-Match)\n");
    case store::WriteOutcome::uid_conflict: {
      DavPath other = path;
      other.resource = result->conflicting_name;
      return precondition_response(409, ns, ns == xml::kCalDav ? "no-uid-conflict" : "no-uid-conflict",
                                   "another resource in this collection has the same UID",
                                   "<d:href>" + xml::xml_escape(href_of(other)) + "</d:href>");
    }
    case store::WriteOutcome::created:
    case store::WriteOutcome::updated: return written(*result);
  }
  return HttpResponse::text(500, "Internal error\n");
}

HttpResponse do_delete(DavContext& ctx, const DavPath& path) {
  if (path.kind == PathKind::collection) {
    if (is_schedule_inbox(path)) return HttpResponse::text(403, "The schedule inbox cannot be deleted\n");
    auto info = ctx.collection(path);
    if (!info) return error_response(info.error());
    if (auto s = ctx.store.delete_collection(ctx.who, info->ref); !s) return error_response(s.error());
    HttpResponse r;
    r.status = 204;
    return r;
  }
  if (path.kind != PathKind::resource) return HttpResponse::text(403, "This resource cannot be deleted\n");
  auto info = ctx.collection(path);
  if (!info) return error_response(info.error());
  std::optional<std::string> old_object;
  if (info->kind == CollectionKind::calendar && info->ref.owner == ctx.who.account_id() && !is_schedule_inbox(path)) {
    if (auto old = ctx.store.get_resource(ctx.who, info->ref, path.resource)) old_object = std::move(old->content);
  }
  auto outcome = ctx.store.delete_resource(ctx.who, info->ref, path.resource, write_condition(ctx));
  if (!outcome) return error_response(outcome.error());
  if (*outcome == store::WriteOutcome::precondition_failed) return HttpResponse::text(412, "Precondition failed\n");
  if (old_object) ctx.scheduler.after_delete(ctx.who, *old_object);
  HttpResponse r;
  r.status = 204;
  return r;
}

HttpResponse do_move(DavContext& ctx, const DavPath& path) {
  if (path.kind != PathKind::resource) return HttpResponse::text(403, "Only resources can be moved\n");
  auto destination_header = ctx.request.header("destination");
  if (!destination_header) return HttpResponse::text(400, "MOVE needs a Destination header\n");
  auto destination = parse_dav_path(*destination_header);
  if (!destination || destination->kind != PathKind::resource ||
      destination->collection_kind != path.collection_kind) {
    return HttpResponse::text(400, "The Destination is not a resource in a collection of the same kind\n");
  }
  if (is_schedule_inbox(*destination) || is_schedule_inbox(path)) {
    return HttpResponse::text(403, "Objects are not moved into or out of the schedule inbox\n");
  }
  auto from = ctx.collection(path);
  if (!from) return error_response(from.error());
  auto to = ctx.collection(*destination);
  if (!to) return error_response(to.error());
  const bool overwrite = ctx.request.header("overwrite").value_or("T") != "F";
  auto result = ctx.store.move_resource(ctx.who, from->ref, path.resource, to->ref, destination->resource, overwrite);
  if (!result) return error_response(result.error());
  switch (result->outcome) {
    case store::WriteOutcome::precondition_failed: return HttpResponse::text(412, "The destination exists\n");
    case store::WriteOutcome::uid_conflict:
      return HttpResponse::text(409, "The destination collection has an object with the same UID\n");
    case store::WriteOutcome::created:
    case store::WriteOutcome::updated: return written(*result);
  }
  return HttpResponse::text(500, "Internal error\n");
}

}  // namespace bulwark::protocol::dav
