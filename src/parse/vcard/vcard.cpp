#include "parse/vcard/vcard.h"

#include <algorithm>
#include <cctype>

namespace bulwark::parse::vcard {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Unfolds content lines: a line break followed by a space or tab continues the previous line.
std::vector<std::string> unfold(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !lines.empty()) {
      lines.back().append(line.substr(1));
    } else if (!line.empty()) {
      lines.emplace_back(line);
    }
  }
  return lines;
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

// "group.NAME;params:value"; the ':' ending the name and parameters is the first one outside a quoted string.
Result<VCardProperty> split_line(const std::string& line) {
  VCardProperty prop;
  bool quoted = false;
  std::size_t colon = std::string::npos;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon == std::string::npos) return fail(Errc::invalid_syntax, "a vCard line has no ':'");
  std::string_view head(line.data(), colon);
  prop.value = line.substr(colon + 1);
  auto semicolon = head.find(';');
  std::string_view name = head.substr(0, semicolon);
  if (semicolon != std::string_view::npos) prop.parameters = head.substr(semicolon + 1);
  if (auto dot = name.find('.'); dot != std::string_view::npos) {
    prop.group = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char) ||
      !std::all_of(prop.group.begin(), prop.group.end(), is_name_char)) {
    return fail(Errc::invalid_syntax, "invalid vCard property name");
  }
  prop.name = upper(name);
  return prop;
}

}  // namespace

bool VCard::matches(std::string_view name, std::string_view needle) const {
  const std::string want_name = upper(name);
  const std::string want = lower(needle);
  for (const auto& p : properties) {
    if (p.name != want_name) continue;
    if (want.empty() || lower(p.value).find(want) != std::string::npos) return true;
  }
  return false;
}

Result<VCard> parse_vcard(std::string_view text, const VCardLimits& limits) {
  if (text.size() > limits.max_bytes) return fail(Errc::too_big, "the vCard is too big");
  if (text.find('\0') != std::string_view::npos) return fail(Errc::invalid_syntax, "NUL byte in the vCard");
  auto lines = unfold(text);
  if (lines.size() > limits.max_properties + 3) return fail(Errc::too_big, "the vCard has too many properties");
  if (lines.size() < 2 || upper(lines.front()) != "BEGIN:VCARD") {
    return fail(Errc::invalid_syntax, "the data does not start with BEGIN:VCARD");
  }
  if (upper(lines.back()) != "END:VCARD") return fail(Errc::invalid_syntax, "the data does not end with END:VCARD");
  VCard card;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    BULWARK_TRY_ASSIGN(auto prop, split_line(lines[i]));
    if (prop.name == "BEGIN" || prop.name == "END") {
      return fail(Errc::invalid_syntax, "one vCard per address object resource, no nesting");
    }
    if (prop.name == "VERSION") {
      if (!card.version.empty()) return fail(Errc::invalid_syntax, "VERSION appears twice");
      card.version = prop.value;
      continue;
    }
    if (prop.name == "UID") {
      if (!card.uid.empty()) return fail(Errc::invalid_syntax, "UID appears twice");
      card.uid = prop.value;
    }
    if (prop.name == "FN" && card.formatted_name.empty()) card.formatted_name = prop.value;
    card.properties.push_back(std::move(prop));
  }
  if (card.version != "3.0" && card.version != "4.0") {
    return fail(Errc::invalid_syntax, "VERSION must be 3.0 or 4.0");
  }
  if (card.formatted_name.empty()) return fail(Errc::invalid_syntax, "the vCard has no FN");
  if (card.uid.empty()) return fail(Errc::invalid_syntax, "the vCard has no UID");
  return card;
}

}  // namespace bulwark::parse::vcard
