// CalDAV scheduling (RFC 6638) on the DAV side: the schedule inbox and outbox collections, the principal
// properties clients use to find them (2.1, 2.2, 2.4.1, 2.4.2, 9.2), and POST to the outbox for free/busy (5).
// The scheduling itself (what a PUT or DELETE sends to whom) is protocol/scheduling.
#include "parse/dav_xml/xml_writer.h"
#include "protocol/dav/dav_context.h"

namespace bulwark::protocol::dav {
namespace {

namespace xml = parse::dav_xml;

PropName dav(std::string_view name) { return {std::string(xml::kDav), std::string(name)}; }
PropName caldav(std::string_view name) { return {std::string(xml::kCalDav), std::string(name)}; }
std::string href(std::string_view h) { return "<d:href>" + xml::xml_escape(h) + "</d:href>"; }

bool is_calendar_collection(const DavPath& path, std::string_view name) {
  return path.collection_kind == store::CollectionKind::calendar &&
         (path.kind == PathKind::collection || path.kind == PathKind::resource) && path.collection == name;
}

}  // namespace

bool is_schedule_inbox(const DavPath& path) { return is_calendar_collection(path, store::kScheduleInbox); }
bool is_schedule_outbox(const DavPath& path) { return is_calendar_collection(path, store::kScheduleOutbox); }

std::optional<std::string> scheduling_principal_property(const DavContext& ctx, const DavPath& path,
                                                         const PropName& name) {
  using store::CollectionKind;
  if (name == caldav("schedule-inbox-URL")) {
    return href(collection_href(CollectionKind::calendar, path.user, store::kScheduleInbox));
  }
  if (name == caldav("schedule-outbox-URL")) {
    return href(collection_href(CollectionKind::calendar, path.user, store::kScheduleOutbox));
  }
  if (name == caldav("calendar-user-type")) return std::string("INDIVIDUAL");
  if (name == caldav("schedule-default-calendar-URL")) {
    return href(collection_href(CollectionKind::calendar, path.user, store::kDefaultCalendar));
  }
  if (name == caldav("calendar-user-address-set")) {
    // Only the principal's own set lists its aliases; another user's principal shows the address in the URL.
    std::vector<std::string> addresses{path.user};
    if (ctx.owner_of(path.user).value_or(-1) == ctx.who.account_id()) addresses = ctx.scheduler.addresses_of(ctx.who);
    std::string out;
    for (const auto& a : addresses) out += href("mailto:" + a);
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> outbox_property(const DavContext& ctx, const DavPath& path, const PropName& name) {
  if (name == dav("resourcetype")) return std::string("<d:collection/><c:schedule-outbox/>");
  if (name == dav("displayname")) return std::string("Scheduling outbox");
  if (name == dav("owner")) return href(principal_href(path.user));
  if (name == dav("current-user-principal")) return href(principal_href(ctx.who.address()));
  if (name == dav("current-user-privilege-set")) {
    return std::string("<d:privilege><d:read/></d:privilege><d:privilege><c:schedule-send/></d:privilege>"
                       "<d:privilege><c:schedule-query-freebusy/></d:privilege>");
  }
  if (name == dav("supported-report-set")) return std::string();
  return std::nullopt;
}

HttpResponse do_post(DavContext& ctx, const DavPath& path) {
  if (path.kind != PathKind::collection || !is_schedule_outbox(path)) {
    return HttpResponse::text(405, "POST is for the schedule outbox\n");
  }
  auto owner = ctx.owner_of(path.user);
  if (!owner) return error_response(owner.error());
  if (*owner != ctx.who.account_id()) return HttpResponse::text(403, "Only the owner may use its outbox\n");
  if (ctx.request.body.size() > ctx.config.dav.max_resource_bytes) {
    return precondition_response(413, xml::kCalDav, "max-resource-size", "the request is larger than max-resource-size");
  }
  auto response = ctx.scheduler.free_busy_response(ctx.who, ctx.request.body);
  if (!response) {
    if (response.error().code == Errc::invalid_syntax) {
      return precondition_response(400, xml::kCalDav, "valid-calendar-data", response.error().detail);
    }
    if (response.error().code == Errc::permission_denied) {
      return precondition_response(403, xml::kCalDav, "organizer-allowed", response.error().detail);
    }
    return error_response(response.error());
  }
  return xml_response(200, std::move(*response));
}

}  // namespace bulwark::protocol::dav
