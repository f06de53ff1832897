#include "protocol/dav/dav_path.h"

#include <cctype>
#include <vector>

namespace bulwark::protocol::dav {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> decode_segment(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%') {
      if (i + 2 >= raw.size()) return fail(Errc::invalid_syntax, "bad escape");
      int hi = hex_value(raw[i + 1]), lo = hex_value(raw[i + 2]);
      if (hi < 0 || lo < 0) return fail(Errc::invalid_syntax, "bad escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += raw[i];
    }
  }
  if (out.empty() || out == "." || out == ".." || out.size() > 255) return fail(Errc::invalid_syntax, "bad segment");
  for (char c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '/' || c == '\\') return fail(Errc::invalid_syntax, "bad segment");
  }
  return out;
}

}  // namespace

Result<DavPath> parse_dav_path(std::string_view target) {
  // Absolute URLs (Destination headers, some clients' hrefs): keep the path.
  if (auto scheme = target.find("://"); scheme != std::string_view::npos && scheme < 8) {
    auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.find('?') != std::string_view::npos || target.find('#') != std::string_view::npos) {
    return fail(Errc::invalid_syntax, "query strings are not used here");
  }
  if (!target.starts_with("/dav")) return fail(Errc::not_found, "not a DAV path");
  target.remove_prefix(4);
  if (!target.empty() && target.front() != '/') return fail(Errc::not_found, "not a DAV path");
  DavPath path;
  path.trailing_slash = target.empty() || target.back() == '/';
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (pos < target.size()) {
    if (target[pos] == '/') {
      ++pos;
      continue;
    }
    auto end = target.find('/', pos);
    auto raw = target.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    BULWARK_TRY_ASSIGN(auto segment, decode_segment(raw));
    segments.push_back(std::move(segment));
    if (segments.size() > 4) return fail(Errc::not_found, "path too deep");
    pos = end == std::string_view::npos ? target.size() : end;
  }
  if (segments.empty()) return path;
  const std::string& area = segments[0];
  if (area == "principals") {
    path.kind = segments.size() == 1 ? PathKind::principals : PathKind::principal;
    if (segments.size() > 2) return fail(Errc::not_found, "no such principal resource");
    if (segments.size() == 2) path.user = segments[1];
    return path;
  }
  if (area == "calendars") {
    path.collection_kind = store::CollectionKind::calendar;
  } else if (area == "addressbooks") {
    path.collection_kind = store::CollectionKind::addressbook;
  } else {
    return fail(Errc::not_found, "no such DAV area");
  }
  if (segments.size() < 2) return fail(Errc::not_found, "no user in the path");
  path.user = segments[1];
  path.kind = PathKind::home;
  if (segments.size() >= 3) {
    path.collection = segments[2];
    path.kind = PathKind::collection;
  }
  if (segments.size() == 4) {
    path.resource = segments[3];
    path.kind = PathKind::resource;
  }
  return path;
}

std::string percent_encode_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : segment) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@' || c == '+') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

namespace {
std::string_view area_of(store::CollectionKind kind) {
  return kind == store::CollectionKind::calendar ? "calendars" : "addressbooks";
}
}  // namespace

std::string principal_href(std::string_view user) {
  return std::string(kDavRoot) + "principals/" + percent_encode_segment(user) + "/";
}

std::string home_href(store::CollectionKind kind, std::string_view user) {
  return std::string(kDavRoot) + std::string(area_of(kind)) + "/" + percent_encode_segment(user) + "/";
}

std::string collection_href(store::CollectionKind kind, std::string_view user, std::string_view collection) {
  return home_href(kind, user) + percent_encode_segment(collection) + "/";
}

std::string resource_href(store::CollectionKind kind, std::string_view user, std::string_view collection,
                          std::string_view resource) {
  return collection_href(kind, user, collection) + percent_encode_segment(resource);
}

std::string href_of(const DavPath& path) {
  switch (path.kind) {
    case PathKind::root: return std::string(kDavRoot);
    case PathKind::principals: return std::string(kDavRoot) + "principals/";
    case PathKind::principal: return principal_href(path.user);
    case PathKind::home: return home_href(path.collection_kind, path.user);
    case PathKind::collection: return collection_href(path.collection_kind, path.user, path.collection);
    case PathKind::resource: return resource_href(path.collection_kind, path.user, path.collection, path.resource);
  }
  return std::string(kDavRoot);
}

}  // namespace bulwark::protocol::dav
