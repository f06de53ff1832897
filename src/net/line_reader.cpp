#include "net/line_reader.h"

#include <cstring>

namespace bulwark::net {
namespace {
constexpr std::size_t kReadSize = 16 * 1024;
}

awaitable<IoStatus> LineReader::fill(Stream::Clock::time_point deadline) {
  if (start_ == end_) {
    start_ = end_ = 0;
  } else if (start_ > 64 * 1024) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  if (buffer_.size() < end_ + kReadSize) buffer_.resize(end_ + kReadSize);
  auto n = co_await stream_.read_some(asio::buffer(buffer_.data() + end_, kReadSize), deadline);
  if (!n) co_return tl::unexpected(n.error());
  end_ += *n;
  co_return IoStatus{};
}

awaitable<IoResult<Line>> LineReader::read_line(std::size_t max_line, Stream::Clock::time_point deadline) {
  Line line;
  for (;;) {
    const char* begin = buffer_.data() + start_;
    std::size_t available = end_ - start_;
    const void* lf = std::memchr(begin, '\n', available);
    if (lf != nullptr) {
      auto length = static_cast<std::size_t>(static_cast<const char*>(lf) - begin);
      std::size_t keep = length;
      if (keep > 0 && begin[keep - 1] == '\r') --keep;
      else line.bare_lf = true;
      if (!line.too_long) {
        if (keep > max_line) {
          line.too_long = true;
          line.text.assign(begin, max_line);
        } else {
          line.text.append(begin, keep);
          if (line.text.size() > max_line) {
            line.too_long = true;
            line.text.resize(max_line);
          }
        }
      }
      start_ += length + 1;
      co_return line;
    }
    // No line end yet. Keep at most max_line bytes of the line; drop the rest but remember it was too long.
    if (available > max_line || line.text.size() + available > max_line) {
      if (!line.too_long) {
        line.text.append(begin, std::min(available, max_line - std::min(max_line, line.text.size())));
        line.too_long = true;
      }
      // Keep a trailing CR so a CRLF split across reads is still seen.
      std::size_t drop = available;
      if (drop > 0 && begin[drop - 1] == '\r') --drop;
      start_ += drop;
    }
    auto status = co_await fill(deadline);
    if (!status) co_return tl::unexpected(status.error());
  }
}

awaitable<IoResult<std::string_view>> LineReader::read_chunk(std::size_t max, Stream::Clock::time_point deadline) {
  if (start_ == end_) {
    auto status = co_await fill(deadline);
    if (!status) co_return tl::unexpected(status.error());
  }
  std::size_t n = std::min(max, end_ - start_);
  chunk_.assign(buffer_.data() + start_, n);
  start_ += n;
  co_return std::string_view(chunk_);
}

std::size_t LineReader::discard_buffered() {
  std::size_t dropped = end_ - start_;
  start_ = end_ = 0;
  return dropped;
}

}  // namespace bulwark::net
