// Buffered reading of CRLF-terminated lines and of exact byte counts from a Stream, with a bound on the line
// length: a client cannot make the server buffer more than max_line bytes looking for a line end.
// Used by the SMTP and IMAP sessions (and POP3 later).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "net/stream.h"

namespace bulwark::net {

struct Line {
  std::string text;       // without the line ending
  bool too_long = false;  // the line exceeded max_line; `text` holds its first max_line bytes, the rest was dropped
  bool bare_lf = false;   // it ended in LF without CR
};

class LineReader {
 public:
  explicit LineReader(Stream& stream) : stream_(stream) {}

  // Reads one line ending in LF (CRLF or bare LF). Lines longer than max_line are consumed to their end and
  // reported as too_long.
  awaitable<IoResult<Line>> read_line(std::size_t max_line, Stream::Clock::time_point deadline);
  // Reads up to `max` bytes of whatever is available (buffered first), for DATA and literals.
  awaitable<IoResult<std::string_view>> read_chunk(std::size_t max, Stream::Clock::time_point deadline);
  // Drops everything buffered: after STARTTLS, bytes the client pipelined in the clear must never be executed
  // inside TLS (CVE-2011-0411 class). Returns how many bytes were dropped.
  std::size_t discard_buffered();
  std::size_t buffered() const { return end_ - start_; }

  // For parsers that take input split anywhere (SMTP DATA's DataReader): the bytes read but not yet consumed,
  // without a copy or any per-line work, then consume() what the parser used. read_more() waits for more bytes.
  std::string_view buffered_view() const { return {buffer_.data() + start_, end_ - start_}; }
  void consume(std::size_t n) { start_ += std::min(n, end_ - start_); }
  awaitable<IoStatus> read_more(Stream::Clock::time_point deadline) { return fill(deadline); }

 private:
  awaitable<IoStatus> fill(Stream::Clock::time_point deadline);

  Stream& stream_;
  // Bytes [start_, end_) are unread. buffer_ only grows (no zero-filling per read); it is kReadSize for a
  // connection that reads short lines.
  std::string buffer_;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
  std::string chunk_;
};

}  // namespace bulwark::net
