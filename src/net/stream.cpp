#include "net/stream.h"

#include <optional>
#include <span>
#include <utility>

#include <openssl/ssl.h>

#include "net/deflate_codec.h"

namespace bulwark::net {

std::string_view io_error_name(IoError error) {
  switch (error) {
    case IoError::closed: return "connection closed";
    case IoError::timeout: return "timeout";
    case IoError::shutdown: return "server shutting down";
    case IoError::failed: return "I/O error";
  }
  return "unknown";
}

Stream::Stream(tcp::socket socket)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), watch_(std::make_shared<Watch>()) {
  watch_->stream = this;
}

Stream::~Stream() { watch_->stream = nullptr; }

void Stream::cut_operation(Cut why) {
  if (watch_->deadline == Clock::time_point::max()) return;  // nothing in flight
  watch_->cut = why;
  boost::system::error_code ignored;
  socket_.cancel(ignored);  // the operation in flight (TLS included: it runs on this socket) ends aborted
}

void Stream::interrupt() {
  interrupted_ = true;
  cut_operation(Cut::interrupt);
}

void Stream::wake_reader() {
  if (is_reading_) cut_operation(Cut::wake);
}

void Stream::arm_watch() {
  auto& watch = *watch_;
  if (watch.armed <= watch.deadline) return;  // an earlier wake-up is pending; it re-arms for this deadline
  watch.armed = watch.deadline;
  const auto generation = ++watch.generation;
  timer_.expires_at(watch.deadline);  // a pending wait ends aborted; its generation is stale
  timer_.async_wait([watch = watch_, generation](const boost::system::error_code&) {
    on_watch_timer(watch, generation);
  });
}

void Stream::on_watch_timer(const std::shared_ptr<Watch>& watch, std::uint64_t generation) {
  if (watch->stream == nullptr || generation != watch->generation) return;
  watch->armed = Clock::time_point::max();
  if (watch->deadline == Clock::time_point::max()) return;  // idle: the next operation arms it again
  if (Clock::now() >= watch->deadline) {
    watch->stream->cut_operation(Cut::deadline);
    return;
  }
  watch->stream->arm_watch();  // the operation in flight has a later deadline than the one that fired
}

void Stream::start_deflate() {
  deflate_ = std::make_unique<DeflateCodec>();
  deflate_in_.resize(16 * 1024);
}

void Stream::close() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

template <class Op>
awaitable<IoResult<std::size_t>> Stream::with_deadline(Op op, Clock::time_point deadline) {
  if (interrupted_) co_return tl::unexpected(IoError::shutdown);
  if (Clock::now() >= deadline) co_return tl::unexpected(IoError::timeout);
  watch_->deadline = deadline;
  watch_->cut = Cut::none;
  arm_watch();
  auto [ec, n] = co_await op();
  watch_->deadline = Clock::time_point::max();
  const Cut cut = std::exchange(watch_->cut, Cut::none);
  if (ec && cut != Cut::none) {
    // Cancelled by the watchdog (deadline), interrupt() (shutdown) or wake_reader() (reported as a timeout).
    co_return tl::unexpected(interrupted_ || cut == Cut::interrupt ? IoError::shutdown : IoError::timeout);
  }
  if (interrupted_ && ec) co_return tl::unexpected(IoError::shutdown);
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::ssl::error::stream_truncated) {
    co_return tl::unexpected(IoError::closed);
  }
  if (ec) co_return tl::unexpected(IoError::failed);
  co_return n;
}

namespace {
// Plain TCP only: a non-blocking read or write done at once when the socket is ready, without the reactor, the
// deadline timer and their completions (each of which is a hand-off between I/O threads: about 60 context
// switches per 64 KiB SMTP message before). std::nullopt when it would block, or when this I/O thread's budget
// of immediate operations is spent: then the operation goes through the reactor, which queues it behind the
// other connections' work, so one busy client cannot hold an I/O thread.
constexpr unsigned kImmediateBudget = 32;
thread_local unsigned immediate_left = kImmediateBudget;

bool may_try_now(tcp::socket& socket) {
  if (immediate_left == 0) {
    immediate_left = kImmediateBudget;
    return false;
  }
  if (!socket.non_blocking()) {
    boost::system::error_code ec;
    socket.non_blocking(true, ec);  // affects only synchronous calls; Asio's async operations are unchanged
    if (ec) return false;
  }
  return true;
}

bool would_block(const boost::system::error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again || ec == asio::error::interrupted;
}

IoError io_error_of(const boost::system::error_code& ec) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe) {
    return IoError::closed;
  }
  return IoError::failed;
}

std::optional<IoResult<std::size_t>> read_now(tcp::socket& socket, asio::mutable_buffer buffer) {
  if (buffer.size() == 0 || !may_try_now(socket)) return std::nullopt;
  boost::system::error_code ec;
  const std::size_t n = socket.read_some(buffer, ec);
  if (would_block(ec)) return std::nullopt;
  --immediate_left;
  if (ec) return IoResult<std::size_t>(tl::unexpected(io_error_of(ec)));
  return IoResult<std::size_t>(n);
}

std::optional<IoResult<std::size_t>> write_now(tcp::socket& socket, std::string_view data) {
  if (data.empty() || !may_try_now(socket)) return std::nullopt;
  boost::system::error_code ec;
  const std::size_t n = socket.write_some(asio::buffer(data), ec);
  if (would_block(ec)) return std::nullopt;
  --immediate_left;
  if (ec) return IoResult<std::size_t>(tl::unexpected(io_error_of(ec)));
  return IoResult<std::size_t>(n);
}
}  // namespace

awaitable<IoResult<std::size_t>> Stream::raw_read_some(asio::mutable_buffer buffer, Clock::time_point deadline) {
  if (!tls_ && !interrupted_ && Clock::now() < deadline) {
    if (auto now = read_now(socket_, buffer)) co_return *now;
  }
  is_reading_ = true;
  IoResult<std::size_t> result;
  if (tls_) {
    result = co_await with_deadline([&] { return tls_->async_read_some(buffer, use_tuple); }, deadline);
  } else {
    result = co_await with_deadline([&] { return socket_.async_read_some(buffer, use_tuple); }, deadline);
  }
  is_reading_ = false;
  co_return result;
}

awaitable<IoResult<std::size_t>> Stream::read_some(asio::mutable_buffer buffer, Clock::time_point deadline) {
  if (!deflate_) co_return co_await raw_read_some(buffer, deadline);
  if (buffer.size() == 0) co_return std::size_t{0};
  std::span<char> out(static_cast<char*>(buffer.data()), buffer.size());
  for (;;) {
    if (deflate_->has_input() || may_have_inflated_output_) {
      const auto n = deflate_->decompress(out);
      if (n < 0) co_return tl::unexpected(IoError::failed);
      may_have_inflated_output_ = static_cast<std::size_t>(n) == out.size();
      if (n > 0) co_return static_cast<std::size_t>(n);
      if (deflate_->has_input()) continue;
    }
    auto got = co_await raw_read_some(asio::buffer(deflate_in_), deadline);
    if (!got) co_return tl::unexpected(got.error());
    deflate_->set_input(std::span<const char>(deflate_in_.data(), *got));
  }
}

awaitable<IoStatus> Stream::write(std::string_view data, Clock::time_point deadline) {
  if (!deflate_) co_return co_await raw_write(data, deadline);
  deflate_out_.clear();
  if (!deflate_->compress(data, deflate_out_)) co_return tl::unexpected(IoError::failed);
  auto status = co_await raw_write(deflate_out_, deadline);
  if (deflate_out_.capacity() > 256 * 1024) std::string().swap(deflate_out_);  // bounded between writes
  co_return status;
}

awaitable<IoStatus> Stream::raw_write(std::string_view data, Clock::time_point deadline) {
  // A write must complete even while shutting down, so the goodbye line reaches the client.
  bool was_interrupted = interrupted_;
  interrupted_ = false;
  // Usually the whole reply fits the socket buffer: written at once. Whatever is left goes the asynchronous way.
  while (!tls_ && !data.empty() && Clock::now() < deadline) {
    auto now = write_now(socket_, data);
    if (!now) break;
    if (!*now) {
      interrupted_ = was_interrupted;
      co_return tl::unexpected(now->error());
    }
    data.remove_prefix(**now);
  }
  if (data.empty()) {
    interrupted_ = was_interrupted;
    co_return IoStatus{};
  }
  IoResult<std::size_t> result;
  if (tls_) {
    result = co_await with_deadline([&] { return asio::async_write(*tls_, asio::buffer(data), use_tuple); }, deadline);
  } else {
    result = co_await with_deadline([&] { return asio::async_write(socket_, asio::buffer(data), use_tuple); }, deadline);
  }
  interrupted_ = interrupted_ || was_interrupted;
  if (!result) co_return tl::unexpected(result.error());
  co_return IoStatus{};
}

awaitable<IoStatus> Stream::start_tls(std::shared_ptr<asio::ssl::context> context, Clock::time_point deadline) {
  tls_context_ = std::move(context);
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *tls_context_);
  auto result = co_await with_deadline([this] { return handshake(); }, deadline);
  if (!result) co_return tl::unexpected(result.error() == IoError::closed ? IoError::failed : result.error());
  co_return IoStatus{};
}

awaitable<std::tuple<boost::system::error_code, std::size_t>> Stream::handshake() {
  auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::server, use_tuple);
  co_return std::tuple{ec, std::size_t{0}};
}

std::string Stream::tls_description() const {
  if (!tls_) return {};
  SSL* ssl = const_cast<asio::ssl::stream<tcp::socket&>&>(*tls_).native_handle();
  std::string out = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    out += " with cipher ";
    out += SSL_CIPHER_get_name(cipher);
  }
  return out;
}

}  // namespace bulwark::net
