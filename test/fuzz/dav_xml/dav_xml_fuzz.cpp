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

// True when `before` ends inside a processing instruction, a comment or a CDATA section: a "<!DOCTYPE" there is
// text, not a declaration (found by this fuzzer: `<?x <!DOCTYPE...?>` is a valid PI).
bool inside_markup(std::string_view before) {
  auto unclosed = [&](std::string_view open, std::string_view close) {
    auto o = before.rfind(open);
    return o != std::string_view::npos && before.find(close, o + open.size()) == std::string_view::npos;
  };
  return unclosed("<?", "?>") || unclosed("<!--", "-->") || unclosed("<![CDATA[", "]]>");
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
  for (auto at = text.find("<!DOCTYPE"); at != std::string_view::npos; at = text.find("<!DOCTYPE", at + 1)) {
    check(inside_markup(text.substr(0, at)));
  }
  auto escaped = xml_escape(tree->text);
  check(escaped.find('<') == std::string::npos);
  return 0;
}
