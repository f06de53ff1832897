#include "parse/dav_xml/xml_writer.h"

namespace bulwark::parse::dav_xml {
namespace {

// True for the bytes that are written as an entity or dropped.
bool needs_care(unsigned char u) {
  switch (u) {
    case '&': case '<': case '>': case '"': case '\'': return true;
    case '\t': case '\n': case '\r': return false;
    default: return u < 0x20;
  }
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text) {
  // Copies runs of plain bytes in one go: calendar data in a year-long REPORT is megabytes of mostly plain text.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (!needs_care(u)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: break;  // a C0 control XML cannot carry: dropped
    }
  }
  out.append(text.data() + run, text.size() - run);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  append_xml_escaped(out, text);
  return out;
}

}  // namespace bulwark::parse::dav_xml
