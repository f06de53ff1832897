#include "protocol/dav/dav_router.h"

#include <algorithm>
#include <cctype>

#include "protocol/dav/dav_context.h"

namespace bulwark::protocol::dav {
namespace {

constexpr std::string_view kAllow =
    "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, MKCALENDAR, MOVE, REPORT, POST";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

HttpResponse options_response() {
  HttpResponse r;
  r.status = 200;
  r.with("DAV", "1, 3, calendar-access, addressbook, extended-mkcol, calendar-auto-schedule");
  r.with("Allow", std::string(kAllow));
  return r;
}

}  // namespace

Result<store::AccountId> DavContext::owner_of(std::string_view user) const {
  if (iequals(user, who.address())) return who.account_id();
  auto resolved = directory.resolve(user);
  if (!resolved) return fail(Errc::not_found, "no such user");
  for (const auto& target : resolved->local) {
    if (iequals(target.address(), user)) return target.account_id();
  }
  return fail(Errc::not_found, "no such user");
}

Result<std::optional<XmlElement>> DavContext::body_xml() const {
  auto first = request.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::optional<XmlElement>();
  parse::dav_xml::XmlLimits limits;
  limits.max_depth = config.dav.max_xml_depth;
  limits.max_elements = config.dav.max_xml_elements;
  limits.max_bytes = config.http.max_body_bytes;
  BULWARK_TRY_ASSIGN(auto root, parse::dav_xml::parse_xml(request.body, limits));
  return std::optional<XmlElement>(std::move(root));
}

Result<store::CollectionInfo> DavContext::collection(const DavPath& path) const {
  if (is_schedule_outbox(path)) return fail(Errc::not_found, "the schedule outbox only takes POST");
  BULWARK_TRY_ASSIGN(auto owner, owner_of(path.user));
  return store.find_collection(who, owner, path.collection_kind, path.collection);
}

std::optional<http::HttpResponse> DavRouter::handle_anonymous(const http::HttpRequest& request) {
  std::string_view target = request.target;
  if (target == "/.well-known/caldav" || target == "/.well-known/carddav" || target == "/.well-known/caldav/" ||
      target == "/.well-known/carddav/") {
    auto r = HttpResponse::text(301, "See /dav/\n");
    r.with("Location", std::string(kDavRoot));
    return r;
  }
  if (request.method == "OPTIONS" && (target == "*" || target == "/")) return options_response();
  if (!target.starts_with("/dav") && !target.starts_with("/.well-known/")) {
    return HttpResponse::text(404, "Not found\n");
  }
  return std::nullopt;
}

http::HttpResponse DavRouter::handle(const http::HttpRequest& request, const store::Principal& who) {
  auto config = services_.config.get();
  scheduling::Scheduler scheduler(services_);
  DavContext ctx{request, who, store_, services_.directory, *config, scheduler};
  auto path = parse_dav_path(request.target);
  if (!path) return error_response(path.error());
  const std::string& method = request.method;
  if (method == "OPTIONS") return options_response();
  if (method == "PROPFIND") return do_propfind(ctx, *path);
  if (method == "PROPPATCH") return do_proppatch(ctx, *path);
  if (method == "MKCOL") return do_mkcol(ctx, *path, false);
  if (method == "MKCALENDAR") return do_mkcol(ctx, *path, true);
  if (method == "GET") return do_get(ctx, *path, false);
  if (method == "HEAD") return do_get(ctx, *path, true);
  if (method == "PUT") return do_put(ctx, *path);
  if (method == "DELETE") return do_delete(ctx, *path);
  if (method == "MOVE") return do_move(ctx, *path);
  if (method == "REPORT") return do_report(ctx, *path);
  if (method == "POST") return do_post(ctx, *path);
  auto r = HttpResponse::text(405, "Method not allowed\n");
  r.with("Allow", std::string(kAllow));
  return r;
}

}  // namespace bulwark::protocol::dav
