#include "parse/mime/section.h"

#include <algorithm>

#include "parse/mime/ascii.h"

namespace bulwark::parse::mime {
namespace {

constexpr std::size_t kMaxSectionDepth = 64;
constexpr std::size_t kMaxHeaderFieldNames = 256;

Result<std::vector<std::string>> parse_header_list(std::string_view text) {
  text = trim(text);
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
    return fail(Errc::invalid_syntax, "HEADER.FIELDS needs a parenthesized list");
  }
  text = text.substr(1, text.size() - 2);
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    std::string name;
    if (text[pos] == '"') {
      for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
        if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
        name.push_back(text[pos]);
      }
      if (pos >= text.size()) return fail(Errc::invalid_syntax, "unterminated quoted header name");
      ++pos;
    } else {
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] != ' ' && text[pos] != '(' && text[pos] != ')') ++pos;
      if (pos == start) return fail(Errc::invalid_syntax, "bad header name");
      name = std::string(text.substr(start, pos - start));
    }
    if (name.empty() || names.size() >= kMaxHeaderFieldNames) {
      return fail(Errc::invalid_syntax, "bad header field list");
    }
    names.push_back(std::move(name));
  }
  if (names.empty()) return fail(Errc::invalid_syntax, "empty header field list");
  return names;
}

Result<SectionText> parse_text_keyword(std::string_view word, bool has_part) {
  if (iequals(word, "HEADER")) return SectionText::header;
  if (iequals(word, "TEXT")) return SectionText::text;
  if (iequals(word, "MIME") && has_part) return SectionText::mime;
  if (iequals(word, "HEADER.FIELDS")) return SectionText::header_fields;
  if (iequals(word, "HEADER.FIELDS.NOT")) return SectionText::header_fields_not;
  return fail(Errc::invalid_syntax, "unknown section text");
}

}  // namespace

Result<SectionSpec> parse_section_spec(std::string_view spec) {
  SectionSpec out;
  std::size_t pos = 0;
  // Part numbers: nz-number *("." nz-number)
  while (pos < spec.size() && spec[pos] >= '0' && spec[pos] <= '9') {
    std::uint64_t value = 0;
    const std::size_t start = pos;
    while (pos < spec.size() && spec[pos] >= '0' && spec[pos] <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(spec[pos] - '0');
      if (value > 0xffffffffU) return fail(Errc::invalid_syntax, "part number too large");
      ++pos;
    }
    if (value == 0 || spec[start] == '0') return fail(Errc::invalid_syntax, "part numbers start at 1");
    if (out.part.size() >= kMaxSectionDepth) return fail(Errc::invalid_syntax, "section too deep");
    out.part.push_back(static_cast<std::uint32_t>(value));
    if (pos == spec.size()) return out;
    if (spec[pos] != '.') return fail(Errc::invalid_syntax, "bad section");
    ++pos;
    if (pos == spec.size()) return fail(Errc::invalid_syntax, "bad section");
  }
  if (pos == spec.size()) return out;
  const std::string_view rest = spec.substr(pos);
  const std::size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  auto text = parse_text_keyword(word, !out.part.empty());
  if (!text) return tl::unexpected(text.error());
  out.text = *text;
  if (out.text == SectionText::header_fields || out.text == SectionText::header_fields_not) {
    if (space == std::string_view::npos) return fail(Errc::invalid_syntax, "HEADER.FIELDS needs a list");
    auto names = parse_header_list(rest.substr(space + 1));
    if (!names) return tl::unexpected(names.error());
    out.fields = std::move(*names);
  } else if (space != std::string_view::npos) {
    return fail(Errc::invalid_syntax, "bad section");
  }
  return out;
}

Result<ByteRange> section_range(const Part& root, const SectionSpec& spec) {
  const Part* part = &root;  // the part the numbers have selected so far
  const Part* context = &root;  // the message or multipart whose parts the next number counts
  for (std::size_t i = 0; i < spec.part.size(); ++i) {
    const std::uint32_t number = spec.part[i];
    if (i > 0 && part->kind == PartKind::leaf) return fail(Errc::not_found, "no such body part");
    if (context->kind == PartKind::multipart) {
      if (number > context->children.size()) return fail(Errc::not_found, "no such body part");
      part = &context->children[number - 1];
    } else if (number == 1) {
      part = context;  // a part that is not multipart has only part 1, itself
    } else {
      return fail(Errc::not_found, "no such body part");
    }
    // The next number counts inside an embedded message, or inside this multipart.
    context = part->kind == PartKind::message ? &part->children.front() : part;
  }
  const Part* message = nullptr;  // the message whose HEADER/TEXT is asked for
  if (spec.part.empty()) {
    message = &root;
  } else if (part->kind == PartKind::message) {
    message = &part->children.front();
  }
  switch (spec.text) {
    case SectionText::none:
      if (spec.part.empty()) return ByteRange{root.header_offset, root.header_size + root.body_size};
      return ByteRange{part->body_offset, part->body_size};
    case SectionText::mime:
      return ByteRange{part->header_offset, part->header_size};
    case SectionText::header:
    case SectionText::header_fields:
    case SectionText::header_fields_not:
      if (message == nullptr) return fail(Errc::invalid_argument, "HEADER needs a message part");
      return ByteRange{message->header_offset, message->header_size};
    case SectionText::text:
      if (message == nullptr) return fail(Errc::invalid_argument, "TEXT needs a message part");
      return ByteRange{message->body_offset, message->body_size};
  }
  return fail(Errc::internal, "unhandled section text");
}

std::string filter_header_fields(std::string_view header_block, std::span<const std::string> names, bool is_not) {
  const Header header = parse_header(header_block);
  std::string out;
  for (const auto& field : header.fields()) {
    if (field.is_malformed) continue;
    const bool is_listed =
        std::any_of(names.begin(), names.end(), [&](const std::string& n) { return iequals(n, field.name); });
    if (is_listed != is_not) {
      out.append(header_block.substr(field.offset, field.size));
      if (out.empty() || out.back() != '\n') out.append("\r\n");
    }
  }
  out.append("\r\n");
  return out;
}

}  // namespace bulwark::parse::mime
