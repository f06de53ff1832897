#include "parse/mime/imap_serialize.h"

#include <algorithm>

#include "parse/mime/ascii.h"

namespace bulwark::parse::mime {
namespace {

bool needs_literal(std::string_view value) {
  if (value.size() > kMaxQuotedBytes) return true;
  return std::any_of(value.begin(), value.end(), [](char c) {
    return c == '\r' || c == '\n' || static_cast<unsigned char>(c) >= 0x80;
  });
}

void append_address_list(std::string& out, const AddressList& list) {
  if (list.entries.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  for (const auto& address : list.entries) {
    // RFC 9051 7.5.2: (name adl mailbox host); group start has host NIL and the group name as mailbox,
    // group end has mailbox and host NIL.
    out += '(';
    append_imap_nstring(out, address.display_name);
    out += ' ';
    append_imap_nstring(out, address.route);
    out += ' ';
    if (address.kind == AddressKind::group_end) {
      out += "NIL NIL";
    } else {
      append_imap_string(out, address.local_part);
      out += ' ';
      if (address.kind == AddressKind::group_start) {
        out += "NIL";
      } else {
        append_imap_string(out, address.domain);
      }
    }
    out += ')';
  }
  out += ')';
}

// body-fld-param: ("NAME" "value" ...) or NIL. With is_text, a missing charset is reported as US-ASCII
// (RFC 2046 4.1.2), as Dovecot does.
void append_params(std::string& out, const std::vector<Parameter>& params, bool is_text = false) {
  const bool needs_charset = is_text && find_parameter(params, "charset") == nullptr;
  if (params.empty() && !needs_charset) {
    out += "NIL";
    return;
  }
  out += '(';
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ' ';
    append_imap_string(out, to_upper(params[i].name));
    out += ' ';
    append_imap_string(out, params[i].value);
  }
  if (needs_charset) out += params.empty() ? R"("CHARSET" "US-ASCII")" : R"( "CHARSET" "US-ASCII")";
  out += ')';
}

// body-fld-dsp SP body-fld-lang SP body-fld-loc: the extension data shared by both part forms.
void append_common_extension(std::string& out, const Part& part) {
  out += ' ';
  if (part.disposition) {
    out += '(';
    append_imap_string(out, to_upper(part.disposition->type));
    out += ' ';
    append_params(out, part.disposition->params);
    out += ')';
  } else {
    out += "NIL";
  }
  out += ' ';
  if (part.language.empty()) {
    out += "NIL";
  } else {
    out += '(';
    for (std::size_t i = 0; i < part.language.size(); ++i) {
      if (i > 0) out += ' ';
      append_imap_string(out, part.language[i]);
    }
    out += ')';
  }
  out += ' ';
  append_imap_nstring(out, part.location);
}

void append_body(std::string& out, const Part& part, bool is_extensible);

void append_multipart(std::string& out, const Part& part, bool is_extensible) {
  if (part.children.empty()) {
    out += is_extensible ? R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL))"
                         : R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0))";
  }
  for (const auto& child : part.children) append_body(out, child, is_extensible);
  out += ' ';
  append_imap_string(out, to_upper(part.subtype));
  if (!is_extensible) return;
  out += ' ';
  append_params(out, part.params);
  append_common_extension(out, part);
}

void append_single(std::string& out, const Part& part, bool is_extensible) {
  append_imap_string(out, to_upper(part.type));
  out += ' ';
  append_imap_string(out, to_upper(part.subtype));
  out += ' ';
  append_params(out, part.params, part.kind == PartKind::leaf && part.type == "text");
  out += ' ';
  append_imap_nstring(out, part.id);
  out += ' ';
  append_imap_nstring(out, part.description);
  out += ' ';
  append_imap_string(out, part.encoding ? to_upper(*part.encoding) : std::string("7BIT"));
  out += ' ';
  out += std::to_string(part.body_size);
  if (part.kind == PartKind::message) {
    const Part& embedded = part.children.front();
    out += ' ';
    out += write_envelope(embedded.envelope.value_or(Envelope{}));
    out += ' ';
    append_body(out, embedded, is_extensible);
    out += ' ';
    out += std::to_string(part.body_lines);
  } else if (part.type == "text") {
    out += ' ';
    out += std::to_string(part.body_lines);
  }
  if (!is_extensible) return;
  out += ' ';
  append_imap_nstring(out, part.md5);
  append_common_extension(out, part);
}

void append_body(std::string& out, const Part& part, bool is_extensible) {
  out += '(';
  if (part.kind == PartKind::multipart) {
    append_multipart(out, part, is_extensible);
  } else {
    append_single(out, part, is_extensible);
  }
  out += ')';
}

}  // namespace

void append_imap_string(std::string& out, std::string_view value) {
  std::string clean;
  if (value.find('\0') != std::string_view::npos) {
    clean.assign(value);
    clean.erase(std::remove(clean.begin(), clean.end(), '\0'), clean.end());
    value = clean;
  }
  if (needs_literal(value)) {
    out += '{';
    out += std::to_string(value.size());
    out += "}\r\n";
    out += value;
    return;
  }
  // Runs between escapes are appended whole: ENVELOPE and BODYSTRUCTURE of every message go through here.
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '"' || value[i] == '\\') {
      out.append(value.substr(run, i - run));
      out += '\\';
      run = i;
    }
  }
  out.append(value.substr(run));
  out += '"';
}

void append_imap_nstring(std::string& out, const std::optional<std::string>& value) {
  if (!value) {
    out += "NIL";
    return;
  }
  append_imap_string(out, *value);
}

std::string write_envelope(const Envelope& envelope) {
  std::string out = "(";
  append_imap_nstring(out, envelope.date);
  out += ' ';
  append_imap_nstring(out, envelope.subject);
  for (const AddressList* list : {&envelope.from, &envelope.sender, &envelope.reply_to, &envelope.to,
                                  &envelope.cc, &envelope.bcc}) {
    out += ' ';
    append_address_list(out, *list);
  }
  out += ' ';
  append_imap_nstring(out, envelope.in_reply_to);
  out += ' ';
  append_imap_nstring(out, envelope.message_id);
  out += ')';
  return out;
}

std::string write_body_structure(const Part& root, bool is_extensible) {
  std::string out;
  append_body(out, root, is_extensible);
  return out;
}

}  // namespace bulwark::parse::mime
