#include "parse/smtp/data_reader.h"

namespace bulwark::parse::smtp {

FeedResult DataReader::feed(std::string_view chunk, std::string& out) {
  std::size_t pos = 0;
  while (pos < chunk.size() && state_ != State::done) {
    switch (state_) {
      case State::line_start:
        if (chunk[pos] == '.') {
          state_ = State::dot;
          ++pos;
        } else {
          state_ = State::body;
        }
        break;
      case State::dot:
        // The leading dot is dropped (RFC 5321 4.5.2); ".\r" may still be the terminator.
        if (chunk[pos] == '\r') {
          state_ = State::dot_cr;
          ++pos;
        } else {
          state_ = State::body;
        }
        break;
      case State::dot_cr:
        if (chunk[pos] == '\n') {
          state_ = State::done;
          ++pos;
        } else {
          // ".\r" then something else: the CR was content; the checker decides whether it is bare.
          checker_.feed("\r", out);
          state_ = State::body;
        }
        break;
      case State::body: {
        // Only an LF can complete a CRLF, so hand the checker everything up to and including the next LF.
        const std::size_t lf = chunk.find('\n', pos);
        const std::size_t end = lf == std::string_view::npos ? chunk.size() : lf + 1;
        checker_.feed(chunk.substr(pos, end - pos), out);
        pos = end;
        if (checker_.is_at_line_start()) state_ = State::line_start;
        break;
      }
      case State::done:
        break;
    }
  }
  return FeedResult{pos, state_ == State::done};
}

}  // namespace bulwark::parse::smtp
