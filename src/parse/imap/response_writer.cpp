#include "parse/imap/response_writer.h"

#include "parse/imap/lexer.h"
#include "parse/imap/mailbox_name.h"

namespace bulwark::parse::imap {
namespace {

bool can_quote(std::string_view value, bool is_utf8_enabled) {
  if (value.size() > kMaxQuotedBytes) return false;
  bool has_8bit = false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0 || c == '\r' || c == '\n') return false;
    has_8bit = has_8bit || u >= 0x80;
  }
  return !has_8bit || (is_utf8_enabled && is_valid_utf8(value));
}

bool is_nil(std::string_view value) {
  return value.size() == 3 && (value[0] == 'N' || value[0] == 'n') && (value[1] == 'I' || value[1] == 'i') &&
         (value[2] == 'L' || value[2] == 'l');
}

}  // namespace

void write_literal(std::string& out, std::string_view value) {
  out += '{';
  out += std::to_string(value.size());
  out += "}\r\n";
  out.append(value);
}

void write_literal8(std::string& out, std::string_view value) {
  out += '~';
  write_literal(out, value);
}

void write_quoted_or_literal(std::string& out, std::string_view value, bool is_utf8_enabled) {
  if (value.find('\0') != std::string_view::npos) {
    write_literal8(out, value);
    return;
  }
  if (!can_quote(value, is_utf8_enabled)) {
    write_literal(out, value);
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void write_astring(std::string& out, std::string_view value, bool is_utf8_enabled) {
  bool is_atom = !value.empty() && !is_nil(value);
  for (char c : value) is_atom = is_atom && is_astring_char(c);
  if (is_atom) {
    out.append(value);
  } else {
    write_quoted_or_literal(out, value, is_utf8_enabled);
  }
}

void write_nstring(std::string& out, std::optional<std::string_view> value, bool is_utf8_enabled) {
  if (!value) {
    out += "NIL";
  } else {
    write_quoted_or_literal(out, *value, is_utf8_enabled);
  }
}

Status write_mailbox(std::string& out, std::string_view utf8_name, bool is_utf8_enabled) {
  if (is_utf8_enabled) {
    if (!is_valid_utf8(utf8_name)) return fail(Errc::invalid_argument, "mailbox name is not valid UTF-8");
    write_astring(out, utf8_name, true);
    return ok();
  }
  auto encoded = encode_modified_utf7(utf8_name);
  if (!encoded) return tl::unexpected(encoded.error());
  write_astring(out, *encoded, false);
  return ok();
}

}  // namespace bulwark::parse::imap
