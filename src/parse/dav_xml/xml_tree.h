// A WebDAV request body (RFC 4918 PROPFIND, PROPPATCH, MKCOL, REPORT ...) parsed into a small element tree with
// namespaces resolved. The parser is expat with every DOCTYPE refused: no DTD, no internal or external entity,
// so XXE and entity-expansion bombs cannot happen. Depth and element count are bounded; the byte size is bounded
// by the caller (the HTTP body limit).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::parse::dav_xml {

inline constexpr std::string_view kDav = "DAV:";
inline constexpr std::string_view kCalDav = "urn:ietf:params:xml:ns:caldav";
inline constexpr std::string_view kCardDav = "urn:ietf:params:xml:ns:carddav";
inline constexpr std::string_view kCalendarServer = "http://calendarserver.org/ns/";
inline constexpr std::string_view kApple = "http://apple.com/ns/ical/";

struct XmlAttribute {
  std::string ns;
  std::string name;
  std::string value;
};

struct XmlElement {
  std::string ns;    // namespace URI ("DAV:"), empty when none
  std::string name;  // local name
  std::vector<XmlAttribute> attributes;
  std::string text;  // character data directly inside this element
  std::vector<XmlElement> children;

  bool is(std::string_view want_ns, std::string_view want_name) const { return ns == want_ns && name == want_name; }
  // The first child with this name, or nullptr.
  const XmlElement* child(std::string_view want_ns, std::string_view want_name) const;
  // The attribute's value, or empty.
  std::string_view attribute(std::string_view want_name) const;
};

struct XmlLimits {
  std::size_t max_depth = 32;
  std::size_t max_elements = 10000;
  std::size_t max_bytes = 1 << 20;
};

// invalid_syntax with a short reason (malformed, DTD refused, too deep, too many elements, too big).
[[nodiscard]] Result<XmlElement> parse_xml(std::string_view document, const XmlLimits& limits);

}  // namespace bulwark::parse::dav_xml
