// The DAV URL space, parsed into ids (never mapped to files):
//   /dav/                                  the service root (current-user-principal)
//   /dav/principals/<user>/                a principal (RFC 5397, RFC 4791 6.2.1, RFC 6352 7.1.1)
//   /dav/calendars/<user>/                 calendar home:      /dav/calendars/<user>/<calendar>/<resource>
//   /dav/addressbooks/<user>/              address book home:  /dav/addressbooks/<user>/<book>/<resource>
// <user> is the account's address. Segments are percent-decoded once; empty, ".", "..", and segments with '/',
// '\', NUL or control characters after decoding are refused, as are query strings on DAV paths.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/dav_store.h"

namespace bulwark::protocol::dav {

enum class PathKind { root, principals, principal, home, collection, resource };

struct DavPath {
  PathKind kind = PathKind::root;
  store::CollectionKind collection_kind = store::CollectionKind::calendar;  // for home/collection/resource
  std::string user;
  std::string collection;
  std::string resource;
  bool trailing_slash = false;
};

inline constexpr std::string_view kDavRoot = "/dav/";

// Parses a request-target or a Destination / href value (absolute URL or absolute path).
[[nodiscard]] Result<DavPath> parse_dav_path(std::string_view target);

std::string percent_encode_segment(std::string_view segment);
std::string principal_href(std::string_view user);
std::string home_href(store::CollectionKind kind, std::string_view user);
std::string collection_href(store::CollectionKind kind, std::string_view user, std::string_view collection);
std::string resource_href(store::CollectionKind kind, std::string_view user, std::string_view collection,
                          std::string_view resource);
std::string href_of(const DavPath& path);

}  // namespace bulwark::protocol::dav
