#include "parse/mime/encoded_word.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "parse/mime/ascii.h"
#include "parse/mime/transfer_encoding.h"

namespace bulwark::parse::mime {
namespace {

constexpr std::size_t kMaxCharsetName = 40;
constexpr std::size_t kMaxEncodedWord = 4096;  // RFC 2047 says 75; real mail is longer

// Only names made of these reach iconv_open: no "//" option suffixes, no paths.
bool is_safe_charset_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxCharsetName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':' || c == '+';
  });
}

class IconvHandle {
 public:
  explicit IconvHandle(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {}
  ~IconvHandle() {
    if (is_open()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  [[nodiscard]] bool is_open() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  [[nodiscard]] iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

std::optional<std::string> decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else if (c == '=') {
      return std::nullopt;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct EncodedWord {
  std::size_t size = 0;  // bytes of the whole word in the input
  std::string decoded;   // UTF-8
};

// Tries to read one encoded-word at the start of `text`.
std::optional<EncodedWord> read_encoded_word(std::string_view text) {
  if (text.size() < 8 || text[0] != '=' || text[1] != '?') return std::nullopt;
  const std::size_t q1 = text.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 3 >= text.size() || text[q1 + 2] != '?') return std::nullopt;
  const std::size_t end = text.find("?=", q1 + 3);
  if (end == std::string_view::npos || end > kMaxEncodedWord) return std::nullopt;
  std::string_view charset = text.substr(2, q1 - 2);
  if (const std::size_t star = charset.find('*'); star != std::string_view::npos) {
    charset = charset.substr(0, star);  // RFC 2231 5: language suffix
  }
  const std::string_view payload = text.substr(q1 + 3, end - (q1 + 3));
  if (std::any_of(payload.begin(), payload.end(), [](char c) { return is_space(c) || c == '?'; })) {
    return std::nullopt;
  }
  std::optional<std::string> bytes;
  const char kind = ascii_upper(text[q1 + 1]);
  if (kind == 'B') {
    std::string out;
    if (append_base64(payload, out, kMaxEncodedWord)) bytes = std::move(out);
  } else if (kind == 'Q') {
    bytes = decode_q(payload);
  }
  if (!bytes) return std::nullopt;
  auto utf8 = charset_to_utf8(charset, *bytes, kMaxEncodedWord * 4);
  if (!utf8) return std::nullopt;
  return EncodedWord{end + 2, std::move(*utf8)};
}

}  // namespace

Result<std::string> charset_to_utf8(std::string_view charset, std::string_view bytes, std::size_t max_output) {
  if (!is_safe_charset_name(charset)) return fail(Errc::invalid_argument, "unsupported charset name");
  if (iequals(charset, "us-ascii") || iequals(charset, "utf-8") || iequals(charset, "utf8")) {
    if (bytes.size() > max_output) return fail(Errc::too_big, "decoded text exceeds the limit");
    return std::string(bytes);
  }
  IconvHandle handle{std::string(charset)};
  if (!handle.is_open()) return fail(Errc::invalid_argument, "unknown charset");
  std::string out;
  std::string input(bytes);
  char* in = input.data();
  std::size_t in_left = input.size();
  char buffer[1024];
  while (in_left > 0) {
    char* out_ptr = buffer;
    std::size_t out_left = sizeof buffer;
    const std::size_t rc = iconv(handle.get(), &in, &in_left, &out_ptr, &out_left);
    const int error = errno;
    const auto produced = static_cast<std::size_t>(out_ptr - buffer);
    if (out.size() + produced > max_output) return fail(Errc::too_big, "decoded text exceeds the limit");
    out.append(buffer, produced);
    if (rc == static_cast<std::size_t>(-1) && error != E2BIG) {
      return fail(Errc::invalid_syntax, "bytes invalid in charset");
    }
  }
  // Flush the shift state of stateful charsets (ISO-2022-JP).
  char* out_ptr = buffer;
  std::size_t out_left = sizeof buffer;
  if (iconv(handle.get(), nullptr, nullptr, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) {
    return fail(Errc::invalid_syntax, "bytes invalid in charset");
  }
  const auto produced = static_cast<std::size_t>(out_ptr - buffer);
  if (out.size() + produced > max_output) return fail(Errc::too_big, "decoded text exceeds the limit");
  out.append(buffer, produced);
  return out;
}

std::string decode_encoded_words(std::string_view text, std::size_t max_output) {
  std::string out;
  std::size_t pos = 0;
  std::size_t pending_space_start = std::string_view::npos;  // whitespace after an encoded-word, not yet copied
  bool last_was_word = false;
  while (pos < text.size() && out.size() < max_output) {
    if (text[pos] == '=' && pos + 1 < text.size() && text[pos + 1] == '?') {
      if (auto word = read_encoded_word(text.substr(pos))) {
        // Whitespace between two encoded-words is dropped (RFC 2047 6.2).
        out.append(word->decoded);
        pos += word->size;
        last_was_word = true;
        pending_space_start = std::string_view::npos;
        continue;
      }
    }
    if (last_was_word && is_space(text[pos])) {
      if (pending_space_start == std::string_view::npos) pending_space_start = pos;
      ++pos;
      if (pos == text.size()) out.append(text.substr(pending_space_start));
      continue;
    }
    if (pending_space_start != std::string_view::npos) {
      out.append(text.substr(pending_space_start, pos - pending_space_start));
      pending_space_start = std::string_view::npos;
    }
    last_was_word = false;
    out.push_back(text[pos]);
    ++pos;
  }
  if (out.size() > max_output) out.resize(max_output);
  return out;
}

}  // namespace bulwark::parse::mime
