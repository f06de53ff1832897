// What one DAV request's handlers share (internal to protocol/dav): the request, who asks, the stores, the
// configuration, and helpers that turn URL user names into account ids and store errors into responses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/config.h"
#include "parse/dav_xml/xml_tree.h"
#include "protocol/dav/dav_path.h"
#include "protocol/dav/multistatus.h"
#include "protocol/http/http_message.h"
#include "protocol/scheduling/scheduler.h"
#include "store/dav_store.h"
#include "store/directory_store.h"

namespace bulwark::protocol::dav {

using http::HttpRequest;
using http::HttpResponse;
using parse::dav_xml::XmlElement;

struct DavContext {
  const HttpRequest& request;
  const store::Principal& who;
  store::DavStore& store;
  store::DirectoryStore& directory;
  const Config& config;
  scheduling::Scheduler& scheduler;  // RFC 6638 implicit scheduling (PUT, DELETE, outbox POST)

  // The account a URL's <user> names: the principal itself, or another local account (not_found otherwise).
  Result<store::AccountId> owner_of(std::string_view user) const;
  // The request body as XML (nullopt when the body is empty).
  Result<std::optional<XmlElement>> body_xml() const;
  // The collection a collection/resource path names, as the principal may see it.
  Result<store::CollectionInfo> collection(const DavPath& path) const;
};

// --- responses (dav_errors.cpp): the one place store errors become HTTP statuses ---
int status_for(Errc code);
HttpResponse error_response(const Error& error);
// A precondition failure (RFC 4918 16): `status` with <d:error><prefix:name/>...</d:error> and a readable message.
HttpResponse precondition_response(int status, std::string_view ns, std::string_view name, std::string_view message,
                                   std::string_view inner_xml = {});
HttpResponse xml_response(int status, std::string body);

// --- methods ---
HttpResponse do_propfind(DavContext& ctx, const DavPath& path);
HttpResponse do_proppatch(DavContext& ctx, const DavPath& path);
HttpResponse do_mkcol(DavContext& ctx, const DavPath& path, bool is_mkcalendar);
HttpResponse do_get(DavContext& ctx, const DavPath& path, bool head_only);
HttpResponse do_put(DavContext& ctx, const DavPath& path);
HttpResponse do_delete(DavContext& ctx, const DavPath& path);
HttpResponse do_move(DavContext& ctx, const DavPath& path);
HttpResponse do_report(DavContext& ctx, const DavPath& path);
HttpResponse do_post(DavContext& ctx, const DavPath& path);  // dav_scheduling.cpp: the schedule outbox

// --- scheduling collections (dav_scheduling.cpp) ---
bool is_schedule_inbox(const DavPath& path);
bool is_schedule_outbox(const DavPath& path);
// PROPFIND of the virtual outbox (RFC 6638 2.1) and the scheduling properties of principals and the inbox.
std::optional<std::string> outbox_property(const DavContext& ctx, const DavPath& path, const PropName& name);
std::optional<std::string> scheduling_principal_property(const DavContext& ctx, const DavPath& path,
                                                         const PropName& name);

// --- shared by PROPFIND and REPORT (dav_properties.cpp) ---
// The value of property `name` of a collection or resource, or nullopt when it has none.
std::optional<std::string> collection_property(const DavContext& ctx, const DavPath& path,
                                               const store::CollectionInfo& info, const PropName& name);
std::optional<std::string> resource_property(const DavContext& ctx, store::CollectionKind kind,
                                             const store::ResourceInfo& resource, const PropName& name);
std::vector<PropName> requested_props(const XmlElement& prop);  // the children of a <d:prop>
std::string sync_token_for(std::uint64_t seq);
std::optional<std::uint64_t> parse_sync_token(std::string_view token);

}  // namespace bulwark::protocol::dav
