// The client side of RFC 5321: reading a server's replies (4.2) and its EHLO keywords (4.1.1.1).
//
// A reply is one or more lines "CCC-text" ending with a line "CCC text" (or a bare "CCC"). ReplyReader is fed
// one line at a time (without CRLF) and yields the complete reply; it refuses lines that are not replies, a
// code that changes inside a multi-line reply, and replies longer than its limits, so a hostile server cannot
// make the client buffer without bound. Pure and I/O-free; fuzzed in test/fuzz/smtp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::parse::smtp {

struct Reply {
  int code = 0;                    // 200..599
  std::vector<std::string> lines;  // the text after "CCC-" / "CCC ", one per line
  // "CCC text" of the first line, for logs and DSN Diagnostic-Code (the whole reply would be too long).
  std::string summary() const;
  // RFC 3463 enhanced status code at the start of the first line ("5.1.1"), empty when absent.
  std::string enhanced_code() const;
  bool is_positive() const { return code >= 200 && code < 400; }
  bool is_transient() const { return code >= 400 && code < 500; }
  bool is_permanent() const { return code >= 500; }
};

struct ReplyLimits {
  std::size_t max_lines = 100;
  std::size_t max_line_bytes = 4096;
};

class ReplyReader {
 public:
  explicit ReplyReader(ReplyLimits limits) : limits_(limits) {}
  // One line without its line ending. Returns the reply when this line completes it, nullopt when more lines
  // follow; invalid_syntax on a malformed or over-long reply (the reader is then reset).
  [[nodiscard]] Result<std::optional<Reply>> feed(std::string_view line);

 private:
  ReplyLimits limits_;
  Reply partial_;
};

// The extensions an EHLO reply announced (every line after the first), keyword upper-cased.
struct Extensions {
  bool starttls = false;
  bool requiretls = false;  // RFC 8689
  bool pipelining = false;
  bool eight_bit_mime = false;
  bool smtputf8 = false;
  bool dsn = false;
  bool auth_plain = false;
  bool size = false;
  std::size_t max_size = 0;  // SIZE parameter, 0: none given
};
Extensions parse_extensions(const Reply& ehlo_reply);

// RFC 3461 4 xtext encoding for ENVID and ORCPT values sent to the next hop.
std::string encode_xtext(std::string_view text);

}  // namespace bulwark::parse::smtp
