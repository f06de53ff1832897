#include "parse/smtp/smtp_reply.h"

#include "parse/smtp/smtp_grammar.h"

using bulwark::parse::smtp::detail::is_digit;
using bulwark::parse::smtp::detail::to_upper;

namespace bulwark::parse::smtp {

std::string Reply::summary() const {
  std::string out = std::to_string(code);
  if (!lines.empty() && !lines.front().empty()) out += " " + lines.front();
  return out;
}

std::string Reply::enhanced_code() const {
  if (lines.empty()) return {};
  std::string_view text = lines.front();
  // class "." subject "." detail, RFC 3463 2: class 2/4/5, subject 1-3 digits, detail 1-3 digits.
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return {};
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i]) && i - start < 3) ++i;
    if (i == start) return {};
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return {};
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return {};
  return std::string(text.substr(0, i));
}

Result<std::optional<Reply>> ReplyReader::feed(std::string_view line) {
  auto reset_fail = [this](std::string detail) {
    partial_ = Reply{};
    return fail(Errc::invalid_syntax, std::move(detail));
  };
  if (line.size() > limits_.max_line_bytes) return reset_fail("reply line too long");
  if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) {
    return reset_fail("reply line without a three-digit code");
  }
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (code < 200 || code > 599) return reset_fail("reply code out of range");
  if (!partial_.lines.empty() && partial_.code != code) return reset_fail("reply code changed inside a reply");
  bool last = true;
  std::string_view text;
  if (line.size() > 3) {
    if (line[3] == '-') last = false;
    else if (line[3] != ' ') return reset_fail("reply code not followed by space or hyphen");
    text = line.substr(4);
  }
  if (partial_.lines.size() >= limits_.max_lines) return reset_fail("reply has too many lines");
  partial_.code = code;
  partial_.lines.emplace_back(text);
  if (!last) return std::optional<Reply>();
  Reply done = std::move(partial_);
  partial_ = Reply{};
  return std::optional<Reply>(std::move(done));
}

Extensions parse_extensions(const Reply& reply) {
  Extensions out;
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    std::string_view line = reply.lines[i];
    auto space = line.find(' ');
    std::string keyword = to_upper(line.substr(0, space));
    std::string_view params = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    if (keyword == "STARTTLS") out.starttls = true;
    else if (keyword == "REQUIRETLS") out.requiretls = true;
    else if (keyword == "PIPELINING") out.pipelining = true;
    else if (keyword == "8BITMIME") out.eight_bit_mime = true;
    else if (keyword == "SMTPUTF8") out.smtputf8 = true;
    else if (keyword == "DSN") out.dsn = true;
    else if (keyword == "SIZE") {
      out.size = true;
      std::size_t value = 0;
      bool valid = !params.empty() && params.size() <= 15;
      for (char c : params) {
        if (!is_digit(c)) { valid = false; break; }
        value = value * 10 + static_cast<std::size_t>(c - '0');
      }
      if (valid) out.max_size = value;
    } else if (keyword == "AUTH") {
      std::string upper = to_upper(params);
      std::size_t pos = 0;
      while (pos <= upper.size()) {
        auto end = upper.find(' ', pos);
        if (end == std::string::npos) end = upper.size();
        if (upper.compare(pos, end - pos, "PLAIN") == 0 && end - pos == 5) out.auth_plain = true;
        pos = end + 1;
      }
    }
  }
  return out;
}

std::string encode_xtext(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 33 && c <= 126 && c != '+' && c != '=') {
      out += ch;
    } else {
      out += '+';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace bulwark::parse::smtp
