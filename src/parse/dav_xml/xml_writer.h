// Escaping for the XML the DAV front-end writes (multistatus responses): text and attribute values.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::parse::dav_xml {

// Escapes & < > " ' and drops characters XML 1.0 cannot carry (C0 controls other than tab, CR, LF).
std::string xml_escape(std::string_view text);
// The same, appended to `out` (no intermediate string).
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace bulwark::parse::dav_xml
