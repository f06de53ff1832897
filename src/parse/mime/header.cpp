#include "parse/mime/header.h"

#include <algorithm>

#include "parse/mime/ascii.h"

namespace bulwark::parse::mime {
namespace {

// RFC 5322 3.6.8 ftext: printable US-ASCII except colon.
bool is_valid_field_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c >= 33 && c <= 126 && c != ':'; });
}

}  // namespace

const HeaderField* Header::find(std::string_view name) const noexcept {
  for (const auto& field : fields_) {
    if (!field.is_malformed && iequals(field.name, name)) return &field;
  }
  return nullptr;
}

std::vector<const HeaderField*> Header::find_all(std::string_view name) const {
  std::vector<const HeaderField*> out;
  for (const auto& field : fields_) {
    if (!field.is_malformed && iequals(field.name, name)) out.push_back(&field);
  }
  return out;
}

std::optional<std::string> Header::unfolded(std::string_view name) const {
  const HeaderField* field = find(name);
  if (field == nullptr) return std::nullopt;
  return unfold(field->raw_value);
}

Header parse_header(std::string_view text, const HeaderLimits& limits) {
  Header header;
  bool is_open = false;      // the last line belongs to an indexed field that a continuation may extend
  bool is_skipping = false;  // the last field was not indexed or was cut: drop its continuation lines
  std::size_t value_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t line_end = text.find('\n', pos);
    const std::size_t next = (line_end == std::string_view::npos) ? text.size() : line_end + 1;
    if (line_end == std::string_view::npos) line_end = text.size();
    std::size_t content_end = line_end;
    if (content_end > pos && text[content_end - 1] == '\r') --content_end;
    if (content_end == pos) {  // the empty line
      header.has_empty_line_ = true;
      pos = next;
      break;
    }
    const bool is_continuation = is_wsp(text[pos]);
    if (is_continuation && is_skipping) {
      // part of a field that is not indexed
    } else if (is_continuation && is_open) {
      HeaderField& field = header.fields_.back();
      field.size = next - field.offset;
      field.raw_value = text.substr(value_start, content_end - value_start);
    } else if (header.fields_.size() >= limits.max_fields) {
      header.is_truncated_ = true;
      is_open = false;
      is_skipping = true;
    } else {
      HeaderField field;
      field.offset = pos;
      field.size = next - pos;
      const std::string_view line = text.substr(pos, content_end - pos);
      const std::size_t colon = is_continuation ? std::string_view::npos : line.find(':');
      std::string_view name = colon == std::string_view::npos ? std::string_view{} : line.substr(0, colon);
      while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
      if (colon != std::string_view::npos && is_valid_field_name(name)) {
        field.name = name;
        value_start = pos + colon + 1;
      } else {
        field.is_malformed = true;
        value_start = pos;
      }
      field.raw_value = text.substr(value_start, content_end - value_start);
      header.fields_.push_back(field);
      is_open = true;
      is_skipping = false;
    }
    if (is_open && header.fields_.back().raw_value.size() > limits.max_field_bytes) {
      header.fields_.back().raw_value = header.fields_.back().raw_value.substr(0, limits.max_field_bytes);
      header.is_truncated_ = true;
      is_open = false;
      is_skipping = true;
    }
    pos = next;
  }
  header.size_ = pos;
  return header;
}

std::string unfold(std::string_view raw_value) {
  std::string out;
  out.reserve(raw_value.size());
  for (char c : raw_value) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  const std::string_view trimmed = trim(out);
  return std::string(trimmed);
}

}  // namespace bulwark::parse::mime
