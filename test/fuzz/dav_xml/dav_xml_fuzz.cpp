// libFuzzer target: WebDAV request bodies (parse/dav_xml/xml_tree.h). Beyond "no crash": a parsed tree respects
// the depth and element limits, and a document with a DOCTYPE is never accepted.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/dav_xml/xml_tree.h"
#include "parse/dav_xml/xml_writer.h"

namespace {

using namespace bulwark::parse::dav_xml;

void check(bool condition) {
  if (!condition) std::abort();
}

std::size_t depth_of(const XmlElement& e, std::size_t depth, std::size_t& count) {
  ++count;
  std::size_t deepest = depth;
  for (const auto& c : e.children) deepest = std::max(deepest, depth_of(c, depth + 1, count));
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  XmlLimits limits;
  limits.max_depth = 8;
  limits.max_elements = 200;
  limits.max_bytes = 64 * 1024;
  auto tree = parse_xml(text, limits);
  if (!tree) return 0;
  std::size_t count = 0;
  check(depth_of(*tree, 1, count) <= limits.max_depth);
  check(count <= limits.max_elements);
  check(text.find("<!DOCTYPE") == std::string_view::npos);
  auto escaped = xml_escape(tree->text);
  check(escaped.find('<') == std::string::npos);
  return 0;
}
