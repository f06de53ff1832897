// PROPFIND (RFC 4918 9.1) and PROPPATCH (9.2) and the properties CalDAV and CardDAV clients ask for.
#include <algorithm>

#include "parse/dav_xml/xml_writer.h"
#include "protocol/dav/dav_context.h"

namespace bulwark::protocol::dav {
namespace {

namespace xml = parse::dav_xml;
using store::CollectionKind;

PropName dav(std::string_view name) { return {std::string(xml::kDav), std::string(name)}; }
PropName caldav(std::string_view name) { return {std::string(xml::kCalDav), std::string(name)}; }
PropName carddav(std::string_view name) { return {std::string(xml::kCardDav), std::string(name)}; }
PropName cs(std::string_view name) { return {std::string(xml::kCalendarServer), std::string(name)}; }
PropName apple(std::string_view name) { return {std::string(xml::kApple), std::string(name)}; }

std::string href(std::string_view h) { return "<d:href>" + xml::xml_escape(h) + "</d:href>"; }

std::string privileges(store::DavRights rights) {
  std::string out;
  auto add = [&](std::string_view p) { out += "<d:privilege><d:" + std::string(p) + "/></d:privilege>"; };
  if (rights.read) {
    add("read");
    add("read-current-user-privilege-set");
    out += "<d:privilege><c:read-free-busy/></d:privilege>";
  }
  if (rights.write) {
    for (auto p : {"write", "write-properties", "write-content", "bind", "unbind"}) add(p);
  }
  return out;
}

std::string report_set(CollectionKind kind) {
  std::string out;
  auto add = [&](std::string_view prefix, std::string_view r) {
    out += "<d:supported-report><d:report><" + std::string(prefix) + ":" + std::string(r) + "/></d:report>"
           "</d:supported-report>";
  };
  add("d", "sync-collection");
  if (kind == CollectionKind::calendar) {
    add("c", "calendar-query");
    add("c", "calendar-multiget");
    add("c", "free-busy-query");
  } else {
    add("card", "addressbook-query");
    add("card", "addressbook-multiget");
  }
  return out;
}

// Properties shared by everything under /dav/ that is not a stored collection or resource.
std::optional<std::string> common_property(const DavContext& ctx, const PropName& name) {
  if (name == dav("current-user-principal")) return href(principal_href(ctx.who.address()));
  if (name == dav("principal-collection-set")) return href(std::string(kDavRoot) + "principals/");
  return std::nullopt;
}

std::optional<std::string> virtual_property(const DavContext& ctx, const DavPath& path, const PropName& name) {
  if (auto common = common_property(ctx, name)) return common;
  const bool is_principal = path.kind == PathKind::principal;
  if (name == dav("resourcetype")) return is_principal ? "<d:principal/>" : "<d:collection/>";
  if (name == dav("displayname")) {
    if (is_principal || path.kind == PathKind::home) return xml::xml_escape(path.user);
    return std::string("Bulwark");
  }
  if (is_principal || path.kind == PathKind::home) {
    if (name == dav("principal-URL")) return href(principal_href(path.user));
    if (name == dav("owner")) return href(principal_href(path.user));
    if (name == caldav("calendar-home-set")) return href(home_href(CollectionKind::calendar, path.user));
    if (name == carddav("addressbook-home-set")) return href(home_href(CollectionKind::addressbook, path.user));
    if (auto scheduling = scheduling_principal_property(ctx, path, name)) return scheduling;
    if (name == dav("current-user-privilege-set")) {
      bool own = ctx.owner_of(path.user).value_or(-1) == ctx.who.account_id();
      return privileges(own ? store::DavRights::all() : store::DavRights{true, false});
    }
  }
  if (path.kind == PathKind::home && name == dav("supported-report-set")) return report_set(path.collection_kind);
  return std::nullopt;
}

std::vector<PropName> allprop_names(PathKind kind) {
  if (kind == PathKind::resource) return {dav("resourcetype"), dav("getetag"), dav("getcontenttype"),
                                          dav("getcontentlength")};
  if (kind == PathKind::collection) return {dav("resourcetype"), dav("displayname"), cs("getctag"), dav("sync-token"),
                                            dav("current-user-privilege-set"), dav("owner")};
  return {dav("resourcetype"), dav("displayname"), dav("current-user-principal")};
}

// Which properties a PROPFIND asks for: a <d:prop> list, all (allprop or no body), or names only (propname).
struct PropRequest {
  std::vector<PropName> names;
  bool all = true;
  bool names_only = false;
};

Result<PropRequest> read_prop_request(const DavContext& ctx) {
  BULWARK_TRY_ASSIGN(auto body, ctx.body_xml());
  PropRequest out;
  if (!body) return out;
  if (!body->is(xml::kDav, "propfind")) return fail(Errc::invalid_syntax, "expected a DAV:propfind body");
  if (const auto* prop = body->child(xml::kDav, "prop")) {
    out.all = false;
    out.names = requested_props(*prop);
  } else if (body->child(xml::kDav, "propname")) {
    out.all = false;
    out.names_only = true;
  }
  return out;
}

template <class Lookup>
void add_response(Multistatus& ms, std::string_view target_href, const PropRequest& req, PathKind kind,
                  Lookup lookup) {
  std::vector<PropValue> found;
  std::vector<PropName> missing;
  const auto names = req.all || req.names_only ? allprop_names(kind) : req.names;
  for (const auto& name : names) {
    auto value = lookup(name);
    if (!value) {
      missing.push_back(name);
    } else {
      found.push_back({name, req.names_only ? std::string() : std::move(*value)});
    }
  }
  ms.add(target_href, found, req.all || req.names_only ? std::vector<PropName>{} : missing);
}

}  // namespace

std::vector<PropName> requested_props(const XmlElement& prop) {
  std::vector<PropName> out;
  for (const auto& c : prop.children) out.push_back({c.ns, c.name});
  return out;
}

std::string sync_token_for(std::uint64_t seq) { return "http://bulwark.invalid/sync/" + std::to_string(seq); }

std::optional<std::uint64_t> parse_sync_token(std::string_view token) {
  constexpr std::string_view kPrefix = "http://bulwark.invalid/sync/";
  if (!token.starts_with(kPrefix)) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  if (token.empty() || token.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::optional<std::string> collection_property(const DavContext& ctx, const DavPath& path,
                                               const store::CollectionInfo& info, const PropName& name) {
  if (auto common = common_property(ctx, name)) return common;
  const bool is_calendar = info.kind == CollectionKind::calendar;
  const bool is_inbox = is_calendar && info.name == store::kScheduleInbox;
  if (is_inbox && name == dav("resourcetype")) return std::string("<d:collection/><c:schedule-inbox/>");
  if (is_inbox && name == caldav("schedule-default-calendar-URL")) {
    return href(collection_href(CollectionKind::calendar, path.user, store::kDefaultCalendar));
  }
  if (name == dav("resourcetype")) return is_calendar ? "<d:collection/><c:calendar/>" : "<d:collection/><card:addressbook/>";
  if (name == dav("displayname")) return xml::xml_escape(info.display_name);
  if (name == cs("getctag")) return std::to_string(info.sync_seq);
  if (name == dav("sync-token")) return xml::xml_escape(sync_token_for(info.sync_seq));
  if (name == dav("current-user-privilege-set")) return privileges(info.rights);
  if (name == dav("owner")) return href(principal_href(path.user));
  if (name == dav("supported-report-set")) return report_set(info.kind);
  if (is_calendar) {
    if (name == caldav("calendar-description")) return xml::xml_escape(info.description);
    if (name == apple("calendar-color")) {
      if (info.color.empty()) return std::nullopt;
      return xml::xml_escape(info.color);
    }
    if (name == caldav("supported-calendar-component-set")) {
      std::string out;
      std::string_view list = info.components;
      while (!list.empty()) {
        auto comma = list.find(',');
        out += "<c:comp name=\"" + xml::xml_escape(list.substr(0, comma)) + "\"/>";
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
      return out;
    }
    if (name == caldav("supported-calendar-data")) {
      return "<c:calendar-data content-type=\"text/calendar\" version=\"2.0\"/>";
    }
    if (name == caldav("max-resource-size")) return std::to_string(ctx.config.dav.max_resource_bytes);
  } else {
    if (name == carddav("addressbook-description")) return xml::xml_escape(info.description);
    if (name == carddav("supported-address-data")) {
      return "<card:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>"
             "<card:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>";
    }
    if (name == carddav("max-resource-size")) return std::to_string(ctx.config.dav.max_resource_bytes);
  }
  return std::nullopt;
}

std::optional<std::string> resource_property(const DavContext& ctx, CollectionKind kind,
                                             const store::ResourceInfo& resource, const PropName& name) {
  if (auto common = common_property(ctx, name)) return common;
  if (name == dav("resourcetype")) return std::string();
  if (name == dav("getetag")) return xml::xml_escape(resource.etag);
  if (name == dav("getcontenttype")) {
    return kind == CollectionKind::calendar
               ? "text/calendar; charset=utf-8; component=" + xml::xml_escape(resource.component)
               : std::string("text/vcard; charset=utf-8");
  }
  if (name == dav("getcontentlength") && !resource.content.empty()) return std::to_string(resource.content.size());
  if (kind == CollectionKind::calendar && name == caldav("calendar-data")) return xml::xml_escape(resource.content);
  if (kind == CollectionKind::addressbook && name == carddav("address-data")) return xml::xml_escape(resource.content);
  return std::nullopt;
}

HttpResponse do_propfind(DavContext& ctx, const DavPath& path) {
  auto req = read_prop_request(ctx);
  if (!req) return error_response(req.error());
  // Depth infinity (or none) is answered as depth 1: the URL space is shallow, and RFC 4918 9.1 lets a server
  // refuse infinity anyway.
  const bool deep = ctx.request.header("depth").value_or("1") != "0";
  Multistatus ms;
  switch (path.kind) {
    case PathKind::root:
    case PathKind::principals: {
      add_response(ms, href_of(path), *req, path.kind,
                   [&](const PropName& n) { return virtual_property(ctx, path, n); });
      break;
    }
    case PathKind::principal:
    case PathKind::home: {
      auto owner = ctx.owner_of(path.user);
      if (!owner) return error_response(owner.error());
      // Another account's principal and homes are not listed (its existence does not leak); shared collections
      // are reached by their own URL, where the store checks the grant.
      if (*owner != ctx.who.account_id()) return HttpResponse::text(404, "Not Found\n");
      add_response(ms, href_of(path), *req, path.kind,
                   [&](const PropName& n) { return virtual_property(ctx, path, n); });
      if (path.kind == PathKind::home && deep) {
        auto list = ctx.store.list_collections(ctx.who, *owner, path.collection_kind);
        if (!list) return error_response(list.error());
        for (const auto& info : *list) {
          DavPath child = path;
          child.kind = PathKind::collection;
          child.collection = info.name;
          add_response(ms, href_of(child), *req, PathKind::collection,
                       [&](const PropName& n) { return collection_property(ctx, child, info, n); });
        }
      }
      break;
    }
    case PathKind::collection: {
      if (is_schedule_outbox(path)) {
        auto owner = ctx.owner_of(path.user);
        if (!owner || *owner != ctx.who.account_id()) return HttpResponse::text(404, "Not Found\n");
        add_response(ms, href_of(path), *req, path.kind,
                     [&](const PropName& n) { return outbox_property(ctx, path, n); });
        break;
      }
      auto info = ctx.collection(path);
      if (!info) return error_response(info.error());
      add_response(ms, href_of(path), *req, path.kind,
                   [&](const PropName& n) { return collection_property(ctx, path, *info, n); });
      if (deep) {
        auto list = ctx.store.list_resources(ctx.who, info->ref, false);
        if (!list) return error_response(list.error());
        for (const auto& resource : *list) {
          DavPath child = path;
          child.kind = PathKind::resource;
          child.resource = resource.name;
          add_response(ms, href_of(child), *req, PathKind::resource,
                       [&](const PropName& n) { return resource_property(ctx, info->kind, resource, n); });
        }
      }
      break;
    }
    case PathKind::resource: {
      auto info = ctx.collection(path);
      if (!info) return error_response(info.error());
      auto resource = ctx.store.get_resource(ctx.who, info->ref, path.resource);
      if (!resource) return error_response(resource.error());
      add_response(ms, href_of(path), *req, path.kind,
                   [&](const PropName& n) { return resource_property(ctx, info->kind, *resource, n); });
      break;
    }
  }
  return xml_response(207, ms.render());
}

HttpResponse do_proppatch(DavContext& ctx, const DavPath& path) {
  if (path.kind != PathKind::collection) {
    return precondition_response(403, xml::kDav, "cannot-modify-protected-property",
                                 "only calendars and address books have properties to change");
  }
  auto info = ctx.collection(path);
  if (!info) return error_response(info.error());
  auto body = ctx.body_xml();
  if (!body) return error_response(body.error());
  if (!*body || !(*body)->is(xml::kDav, "propertyupdate")) {
    return HttpResponse::text(400, "expected a DAV:propertyupdate body\n");
  }
  store::CollectionProps props;
  std::vector<PropName> changed, refused;
  for (const auto& action : (*body)->children) {
    const bool is_set = action.is(xml::kDav, "set");
    if (!is_set && !action.is(xml::kDav, "remove")) continue;
    const auto* prop = action.child(xml::kDav, "prop");
    if (!prop) continue;
    for (const auto& p : prop->children) {
      PropName name{p.ns, p.name};
      std::string value = is_set ? p.text : std::string();
      if (name == dav("displayname")) {
        props.display_name = value;
      } else if (name == apple("calendar-color") && info->kind == CollectionKind::calendar) {
        props.color = value;
      } else if ((name == caldav("calendar-description") && info->kind == CollectionKind::calendar) ||
                 (name == carddav("addressbook-description") && info->kind == CollectionKind::addressbook)) {
        props.description = value;
      } else {
        refused.push_back(name);
        continue;
      }
      changed.push_back(name);
    }
  }
  Multistatus ms;
  if (!refused.empty()) {
    // RFC 4918 9.2: all or nothing; the others fail with 424.
    std::vector<PropValue> none;
    ms.add(href_of(path), none, refused, 403);
    if (!changed.empty()) ms.add(href_of(path), none, changed, 424);
    return xml_response(207, ms.render());
  }
  if (auto s = ctx.store.update_collection(ctx.who, info->ref, props); !s) return error_response(s.error());
  std::vector<PropValue> done;
  for (const auto& name : changed) done.push_back({name, std::string()});
  ms.add(href_of(path), done, {});
  return xml_response(207, ms.render());
}

}  // namespace bulwark::protocol::dav
