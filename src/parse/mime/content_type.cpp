#include "parse/mime/content_type.h"

#include <algorithm>
#include <cstring>

#include "parse/mime/ascii.h"
#include "parse/mime/encoded_word.h"

namespace bulwark::parse::mime {
namespace {

bool is_token_char(char c) {  // RFC 2045 5.1 token, 8-bit allowed for tolerance
  if (static_cast<unsigned char>(c) <= 32 || c == 127) return false;
  return std::strchr("()<>@,;:\\\"/[]?=", c) == nullptr;
}

// Skips whitespace and (nested) comments.
void skip_cfws(std::string_view s, std::size_t& pos) {
  while (pos < s.size()) {
    if (is_space(s[pos])) {
      ++pos;
    } else if (s[pos] == '(') {
      int depth = 0;
      for (; pos < s.size(); ++pos) {
        if (s[pos] == '\\' && pos + 1 < s.size()) {
          ++pos;
        } else if (s[pos] == '(') {
          ++depth;
        } else if (s[pos] == ')' && --depth == 0) {
          ++pos;
          break;
        }
      }
    } else {
      return;
    }
  }
}

std::string_view read_token(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < s.size() && is_token_char(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

std::string read_value(std::string_view s, std::size_t& pos) {
  std::string out;
  if (pos < s.size() && s[pos] == '"') {
    for (++pos; pos < s.size() && s[pos] != '"'; ++pos) {
      if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
      out.push_back(s[pos]);
    }
    if (pos < s.size()) ++pos;  // closing quote; an unterminated string runs to the end
    return out;
  }
  const std::size_t start = pos;
  const std::string_view token = read_token(s, pos);
  skip_cfws(s, pos);
  if (pos >= s.size() || s[pos] == ';') return std::string(token);
  // Tolerant: otherwise an unquoted value runs to the next ';' (mailers send spaces and specials unquoted).
  pos = start;
  const std::size_t end = std::min(s.find(';', pos), s.size());
  out = std::string(trim(s.substr(pos, end - pos)));
  pos = end;
  return out;
}

struct RawParameter {
  std::string base;  // name without the RFC 2231 suffix
  int section = -1;  // -1: no section number
  bool is_extended = false;
  std::string value;
};

RawParameter split_name(std::string name, std::string value) {
  RawParameter raw{std::move(name), -1, false, std::move(value)};
  std::string& n = raw.base;
  if (n.size() > 1 && n.back() == '*') {
    raw.is_extended = true;
    n.pop_back();
  }
  const std::size_t star = n.rfind('*');
  if (star != std::string::npos && star > 0 && star + 1 < n.size() && n.size() - star - 1 <= 3 &&
      std::all_of(n.begin() + static_cast<std::ptrdiff_t>(star) + 1, n.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    raw.section = std::stoi(n.substr(star + 1));
    n.resize(star);
  } else if (star != std::string::npos && raw.is_extended) {
    // Not a continuation: keep the name as written.
    n.push_back('*');
    raw.is_extended = false;
  }
  return raw;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::strchr("!#$&+-.^_`|~", c) != nullptr) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// RFC 2231 3: merges "name*0", "name*1*", ... in section order; single parameters pass through.
std::vector<Parameter> merge_continuations(std::vector<RawParameter> raw) {
  std::vector<Parameter> out;
  std::vector<bool> is_used(raw.size(), false);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (is_used[i]) continue;
    if (raw[i].section < 0) {
      out.push_back({raw[i].base + (raw[i].is_extended ? "*" : ""), raw[i].value});
      continue;
    }
    std::vector<const RawParameter*> segments;
    for (std::size_t j = i; j < raw.size(); ++j) {
      if (is_used[j] || raw[j].section < 0 || raw[j].base != raw[i].base) continue;
      is_used[j] = true;
      const bool is_duplicate = std::any_of(segments.begin(), segments.end(),
                                            [&](const RawParameter* s) { return s->section == raw[j].section; });
      if (!is_duplicate) segments.push_back(&raw[j]);
    }
    std::stable_sort(segments.begin(), segments.end(),
                     [](const RawParameter* a, const RawParameter* b) { return a->section < b->section; });
    const bool is_extended =
        std::any_of(segments.begin(), segments.end(), [](const RawParameter* s) { return s->is_extended; });
    std::string value;
    for (std::size_t k = 0; k < segments.size(); ++k) {
      const RawParameter& segment = *segments[k];
      if (!is_extended || segment.is_extended) {
        value += segment.value;
      } else {
        if (k == 0) value += "''";  // RFC 2231 4: an extended value starts with charset'language'
        value += percent_encode(segment.value);
      }
    }
    out.push_back({raw[i].base + (is_extended ? "*" : ""), std::move(value)});
  }
  return out;
}

}  // namespace

std::vector<Parameter> parse_parameters(std::string_view text) {
  std::vector<RawParameter> raw;
  std::size_t pos = 0;
  while (pos < text.size() && raw.size() < kMaxParameters) {
    skip_cfws(text, pos);
    if (pos >= text.size()) break;
    if (text[pos] == ';') {
      ++pos;
      continue;
    }
    const std::string_view name = read_token(text, pos);
    skip_cfws(text, pos);
    if (name.empty() || pos >= text.size() || text[pos] != '=') {
      pos = std::min(text.find(';', pos + (name.empty() ? 1 : 0)), text.size());  // drop up to the next ';'
      continue;
    }
    ++pos;
    skip_cfws(text, pos);
    std::string value = read_value(text, pos);
    raw.push_back(split_name(to_lower(name), std::move(value)));
  }
  return merge_continuations(std::move(raw));
}

std::optional<ContentType> parse_content_type(std::string_view value) {
  std::size_t pos = 0;
  skip_cfws(value, pos);
  const std::string_view type = read_token(value, pos);
  skip_cfws(value, pos);
  if (type.empty() || pos >= value.size() || value[pos] != '/') return std::nullopt;
  ++pos;
  skip_cfws(value, pos);
  const std::string_view subtype = read_token(value, pos);
  if (subtype.empty()) return std::nullopt;
  return ContentType{to_lower(type), to_lower(subtype), parse_parameters(value.substr(pos))};
}

std::optional<Disposition> parse_disposition(std::string_view value) {
  std::size_t pos = 0;
  skip_cfws(value, pos);
  const std::string_view type = read_token(value, pos);
  if (type.empty()) return std::nullopt;
  return Disposition{to_lower(type), parse_parameters(value.substr(pos))};
}

std::vector<std::string> parse_language_list(std::string_view value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < value.size() && out.size() < kMaxParameters) {
    skip_cfws(value, pos);
    if (pos >= value.size()) break;
    if (value[pos] == ',') {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    while (pos < value.size() && value[pos] != ',' && value[pos] != '(' && !is_space(value[pos])) ++pos;
    out.emplace_back(value.substr(start, pos - start));
  }
  return out;
}

const Parameter* find_parameter(const std::vector<Parameter>& params, std::string_view name) {
  for (const auto& param : params) {
    if (iequals(param.name, name)) return &param;
  }
  return nullptr;
}

std::optional<std::string> decoded_parameter(const std::vector<Parameter>& params, std::string_view name) {
  const Parameter* plain = find_parameter(params, name);
  if (const Parameter* extended = find_parameter(params, std::string(name) + "*")) {
    const std::string_view v = extended->value;
    const std::size_t q1 = v.find('\'');
    const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return percent_decode(v);
    const std::string_view charset = v.substr(0, q1);
    std::string bytes = percent_decode(v.substr(q2 + 1));
    if (charset.empty()) return bytes;
    if (auto utf8 = charset_to_utf8(charset, bytes)) return std::move(*utf8);
    if (plain == nullptr) return bytes;
  }
  if (plain == nullptr) return std::nullopt;
  return decode_encoded_words(plain->value);
}

}  // namespace bulwark::parse::mime
