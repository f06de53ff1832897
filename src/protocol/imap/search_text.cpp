#include "protocol/imap/search_text.h"

#include <algorithm>
#include <vector>

#include "parse/mime/content_type.h"
#include "parse/mime/encoded_word.h"
#include "parse/mime/header.h"
#include "parse/mime/message_structure.h"
#include "parse/mime/transfer_encoding.h"

namespace bulwark::protocol::imap {
namespace {

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Simple lower-case mapping of the two-byte letters named in the header; others unchanged.
char32_t fold_code_point(char32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) return cp + 0x20;  // Latin-1 capitals
  if (cp >= 0x100 && cp <= 0x137 && cp % 2 == 0) return cp + 1;      // Latin Extended-A, pairs
  if (cp >= 0x139 && cp <= 0x148 && cp % 2 == 1) return cp + 1;
  if (cp >= 0x14A && cp <= 0x177 && cp % 2 == 0) return cp + 1;
  if (cp == 0x178) return 0xFF;
  if ((cp == 0x179 || cp == 0x17B || cp == 0x17D)) return cp + 1;
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 0x20;  // Greek capitals
  if (cp == 0x3C2) return 0x3C3;                                     // final sigma
  if (cp == 0x386) return 0x3AC;                                     // Greek capitals with tonos
  if (cp >= 0x388 && cp <= 0x38A) return cp + 0x25;
  if (cp == 0x38C) return 0x3CC;
  if (cp == 0x38E || cp == 0x38F) return cp + 0x3F;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                  // Cyrillic
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  return cp;
}

std::string text_of(std::string_view raw, const parse::mime::Part& part, std::size_t budget) {
  const auto body = raw.substr(std::min<std::uint64_t>(part.body_offset, raw.size()),
                               std::min<std::uint64_t>(part.body_size, raw.size()));
  auto decoded = parse::mime::decode_body(part.encoding.value_or(""), body, budget);
  std::string bytes = decoded ? std::move(*decoded) : std::string(body.substr(0, budget));
  const auto* charset = parse::mime::find_parameter(part.params, "charset");
  if (charset != nullptr) {
    auto converted = parse::mime::charset_to_utf8(charset->value, bytes, budget);
    if (converted) return std::move(*converted);
  }
  return bytes;
}

}  // namespace

std::string fold_for_search(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
    } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size() && (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) {
      const char32_t cp = (static_cast<char32_t>(c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F);
      append_utf8(out, fold_code_point(cp));
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string searchable_header(std::string_view header_block, std::size_t max_bytes) {
  // One line per field, "Name: decoded value", so that a match never spans two fields.
  std::string out;
  const auto header = parse::mime::parse_header(header_block);
  for (const auto& field : header.fields()) {
    if (field.is_malformed) continue;
    std::string value = parse::mime::unfold(field.raw_value);
    if (value.find("=?") != std::string::npos) value = parse::mime::decode_encoded_words(value);
    out.append(field.name);
    out += ": ";
    out += value;
    out += '\n';
    if (out.size() >= max_bytes) break;
  }
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

std::string searchable_body(std::string_view raw, std::size_t max_bytes) {
  auto root = parse::mime::parse_message(raw);
  if (!root) return {};
  std::string out;
  // Depth-first over the parts, iteratively; the root's own header is not body text.
  std::vector<const parse::mime::Part*> stack{&*root};
  while (!stack.empty() && out.size() < max_bytes) {
    const parse::mime::Part* part = stack.back();
    stack.pop_back();
    if (part != &*root && part->envelope) {  // an embedded message: its header is text of the outer body
      const auto header = raw.substr(std::min<std::uint64_t>(part->header_offset, raw.size()),
                                     std::min<std::uint64_t>(part->header_size, raw.size()));
      out += searchable_header(header, max_bytes - out.size());
      out += '\n';
    }
    if (!part->children.empty()) {
      for (auto it = part->children.rbegin(); it != part->children.rend(); ++it) stack.push_back(&*it);
      continue;
    }
    if (part->kind == parse::mime::PartKind::leaf && part->type == "text") {
      if (out.size() >= max_bytes) break;
      out += text_of(raw, *part, max_bytes - out.size());
      out += '\n';
    }
  }
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

std::string index_text(std::string_view raw, std::size_t max_bytes) {
  const auto header = parse::mime::parse_header(raw);
  std::string out = fold_for_search(searchable_header(raw.substr(0, std::min(header.size(), raw.size())), max_bytes));
  out += '\n';
  out += fold_for_search(searchable_body(raw, max_bytes));
  return out;
}

}  // namespace bulwark::protocol::imap
