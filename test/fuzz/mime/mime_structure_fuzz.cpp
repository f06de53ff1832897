// Fuzz target: a raw message through parse_message(), the IMAP writers, section lookup, body decoding and the
// cache format. Checks: decode_structure(encode_structure(x)) == x, every section range lies inside the
// message, and decode_structure() of arbitrary bytes never crashes. Dictionary: mime_structure_fuzz.dict.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/mime/encoded_word.h"
#include "parse/mime/imap_serialize.h"
#include "parse/mime/section.h"
#include "parse/mime/structure_cache.h"
#include "parse/mime/transfer_encoding.h"

using namespace bulwark::parse::mime;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void visit(const Part& part, std::string_view raw) {
  check(part.body_offset + part.body_size <= raw.size());
  if (part.kind == PartKind::leaf && part.body_size < 4096) {
    (void)decode_body(part.encoding.value_or(""), raw.substr(part.body_offset, part.body_size), 1 << 16);
  }
  for (const auto& child : part.children) visit(child, raw);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  StructureLimits limits;
  limits.max_parts = 500;
  const auto root = parse_message(raw, limits);
  check(root.has_value());
  check(root->header_size + root->body_size == raw.size());
  (void)write_body_structure(*root, true);
  (void)write_body_structure(*root, false);
  if (root->envelope) {
    (void)write_envelope(*root->envelope);
    if (root->envelope->subject) (void)decode_encoded_words(*root->envelope->subject);
  }
  visit(*root, raw);

  const auto decoded = decode_structure(encode_structure(*root));
  check(decoded.has_value() && *decoded == *root);

  for (const char* text : {"", "1", "2", "1.1", "1.2.MIME", "2.HEADER", "1.TEXT", "TEXT", "HEADER.FIELDS (From)"}) {
    const auto spec = parse_section_spec(text);
    check(spec.has_value());
    if (const auto range = section_range(*root, *spec)) {
      check(range->offset <= raw.size() && range->size <= raw.size() - range->offset);
      if (spec->text == SectionText::header_fields) {
        (void)filter_header_fields(raw.substr(range->offset, range->size), spec->fields, false);
      }
    }
  }
  // The cache decoder must reject or accept arbitrary bytes without crashing.
  if (const auto any = decode_structure(raw)) (void)write_body_structure(*any, true);
  return 0;
}
