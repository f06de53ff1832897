#include "net/server.h"

#include <unistd.h>

#include <csignal>
#include <thread>

#include <spdlog/spdlog.h>

namespace bulwark::net {

struct Server::Listener {
  Listener(asio::io_context& io, Protocol p, std::shared_ptr<ProtocolHandler> h)
      : acceptor(io), protocol(p), handler(std::move(h)) {}
  tcp::acceptor acceptor;
  Protocol protocol;
  std::shared_ptr<ProtocolHandler> handler;
};

Server::Server(const Config& config, std::shared_ptr<TlsManager> tls)
    : tls_(std::move(tls)),
      limiter_(std::make_shared<ConnectionLimiter>(config.limits.max_connections, config.limits.max_connections_per_ip)),
      limits_(config.limits) {}

Server::~Server() = default;

Status Server::listen(Protocol protocol, const ListenAddress& address, std::shared_ptr<ProtocolHandler> handler) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  std::string where = "listen." + std::string(protocol_name(protocol)) + " = " + address.to_string();
  if (ec) return fail(Errc::invalid_argument, where + ": not an IP address");
  auto listener = std::make_shared<Listener>(io_, protocol, std::move(handler));
  tcp::endpoint endpoint(ip, address.port);
  listener->acceptor.open(endpoint.protocol(), ec);
  if (!ec) listener->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && ip.is_v6()) listener->acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) listener->acceptor.bind(endpoint, ec);
  if (!ec) listener->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(Errc::unavailable, where + ": " + ec.message());
  listeners_.push_back(std::move(listener));
  return ok();
}

std::vector<std::pair<Protocol, std::string>> Server::bound_addresses() const {
  std::vector<std::pair<Protocol, std::string>> out;
  for (const auto& l : listeners_) {
    boost::system::error_code ec;
    auto ep = l->acceptor.local_endpoint(ec);
    ListenAddress a{ep.address().to_string(), ep.port()};
    out.emplace_back(l->protocol, a.to_string());
  }
  return out;
}

void Server::set_limits(const LimitsConfig& limits) {
  limiter_->set_limits(limits.max_connections, limits.max_connections_per_ip);
  std::lock_guard lock(sessions_mutex_);
  limits_ = limits;
}

void Server::run(unsigned threads, unsigned blocking_threads, std::function<void()> on_reload) {
  on_reload_ = std::move(on_reload);
  asio::thread_pool blocking(std::max(1u, blocking_threads));
  blocking_ = &blocking;
  for (auto& listener : listeners_) asio::co_spawn(io_, accept_loop(listener), asio::detached);
  asio::co_spawn(io_, watch_signals(), asio::detached);
  for (auto& service : services_) service->start(io_, blocking.get_executor());
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<Guard> keep_running;  // an idle context must not return from run() before the shutdown
  for (unsigned i = 1; i < std::max(1u, threads); ++i) {
    extra_contexts_.push_back(std::make_unique<asio::io_context>(1));
    keep_running.push_back(asio::make_work_guard(*extra_contexts_.back()));
  }
  {
    std::lock_guard lock(sessions_mutex_);
    live_per_context_.assign(extra_contexts_.size() + 1, 0);
  }
  std::vector<std::thread> workers;
  for (auto& context : extra_contexts_) workers.emplace_back([c = context.get()] { c->run(); });
  io_.run();
  // io_ stops at the end of the drain (or stop()); the other contexts follow it.
  for (auto& context : extra_contexts_) context->stop();
  for (auto& t : workers) t.join();
  for (auto& service : services_) service->release_io();
  blocking.join();
  blocking_ = nullptr;
}

std::size_t Server::pick_context_locked() const {
  std::size_t best = 0;
  for (std::size_t k = 1; k < live_per_context_.size(); ++k) {
    if (live_per_context_[k] < live_per_context_[best]) best = k;
  }
  return best;
}

void Server::stop() {
  asio::post(io_, [this] { begin_shutdown(); });
}

awaitable<void> Server::watch_signals() {
  for (;;) {
    auto [ec, signal] = co_await signals_.async_wait(use_tuple);
    if (ec) co_return;
    if (signal == SIGHUP) {
      spdlog::info("SIGHUP: reloading configuration and certificates");
      if (on_reload_) on_reload_();
      continue;
    }
    spdlog::info("{}: shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    begin_shutdown();
    co_return;
  }
}

void Server::begin_shutdown() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(sessions_mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, session] : sessions_) {
      if (auto c = session.connection.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& l : listeners_) {
    boost::system::error_code ignored;
    l->acceptor.close(ignored);
  }
  for (auto& service : services_) service->stop();
  spdlog::info("stopped accepting; asking {} open sessions to finish", live.size());
  for (auto& c : live) {
    auto executor = c->stream.socket().get_executor();
    asio::post(executor, [c] { c->stream.interrupt(); });
  }
  asio::co_spawn(io_, drain(), asio::detached);
}

awaitable<void> Server::drain() {
  asio::steady_timer timer(io_);
  auto give_up = Stream::Clock::now() + grace_;
  for (;;) {
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(sessions_mutex_);
      for (auto& [id, session] : sessions_) {
        if (auto c = session.connection.lock()) live.push_back(std::move(c));
      }
    }
    if (live.empty()) break;
    if (Stream::Clock::now() >= give_up) {
      spdlog::warn("{} sessions did not finish within {}s; closing them", live.size(), grace_.count());
      for (auto& c : live) {
        asio::post(c->stream.socket().get_executor(), [c] { c->stream.close(); });
      }
      break;
    }
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(use_tuple);
  }
  spdlog::info("shutdown complete");
  io_.stop();
}

void Server::forget(std::uint64_t id) {
  std::lock_guard lock(sessions_mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  --live_per_context_[it->second.context];
  sessions_.erase(it);
}

awaitable<void> Server::accept_loop(std::shared_ptr<Listener> listener) {
  for (;;) {
    auto [ec, accepted] = co_await listener->acceptor.async_accept(asio::make_strand(io_), use_tuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !listener->acceptor.is_open()) co_return;
      // EMFILE and friends: log, back off briefly, keep serving.
      spdlog::warn("accept on {}: {}", protocol_name(listener->protocol), ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    std::size_t context = 0;
    {
      std::lock_guard lock(sessions_mutex_);
      context = pick_context_locked();
    }
    // Another context: the descriptor moves to that context's reactor (release() only deregisters it here).
    tcp::socket socket = std::move(accepted);
    if (context != 0) {
      boost::system::error_code move_ec;
      const auto protocol = socket.local_endpoint(move_ec).protocol();
      if (move_ec) continue;  // the client already left
      auto fd = socket.release(move_ec);
      if (move_ec) continue;
      socket = tcp::socket(asio::make_strand(context_at(context)));
      socket.assign(protocol, fd, move_ec);
      if (move_ec) {
        ::close(fd);
        continue;
      }
    }
    boost::system::error_code peer_ec, local_ec;
    auto peer = socket.remote_endpoint(peer_ec);
    auto local = socket.local_endpoint(local_ec);
    if (peer_ec || local_ec) continue;  // the client already left
    socket.set_option(tcp::no_delay(true), peer_ec);

    ConnectionInfo info;
    info.protocol = listener->protocol;
    info.peer_ip = peer.address().is_v6() && peer.address().to_v6().is_v4_mapped()
                       ? asio::ip::make_address_v4(asio::ip::v4_mapped, peer.address().to_v6()).to_string()
                       : peer.address().to_string();
    info.peer_port = peer.port();
    info.local_ip = local.address().to_string();
    info.local_port = local.port();
    info.is_loopback = peer.address().is_loopback();

    LimitsConfig limits;
    {
      std::lock_guard lock(sessions_mutex_);
      if (stopping_) co_return;
      info.id = next_id_++;
      limits = limits_;
    }
    auto connection = std::make_shared<Connection>(std::move(socket), info, limits.session_timeout, tls_,
                                                   blocking_->get_executor());
    ConnectionLimiter::Refusal why{};
    connection->ticket = limiter_->acquire(info.peer_ip, &why);
    if (!connection->ticket) {
      const char* reason = why == ConnectionLimiter::Refusal::per_ip ? "too many connections from your address"
                                                                      : "too many connections, try again later";
      connection->log.warn("refused: {}", reason);
      asio::co_spawn(connection->stream.socket().get_executor(),
                     refuse(connection, listener->handler->refusal_line(reason)), asio::detached);
      continue;
    }
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_[info.id] = Session{connection, context};
      ++live_per_context_[context];
    }
    asio::co_spawn(connection->stream.socket().get_executor(), run_session(connection, listener->handler),
                   asio::detached);
  }
}

awaitable<void> Server::refuse(std::shared_ptr<Connection> connection, std::string line) {
  // Implicit-TLS protocols cannot say anything before the handshake; they just close.
  if (!is_implicit_tls(connection->info.protocol)) {
    (void)co_await connection->stream.write(line, Stream::Clock::now() + std::chrono::seconds(5));
  }
  connection->stream.close();
}

awaitable<void> Server::run_session(std::shared_ptr<Connection> connection, std::shared_ptr<ProtocolHandler> handler) {
  connection->log.info("connect to {}:{}", connection->info.local_ip, connection->info.local_port);
  try {
    bool ready = true;
    if (is_implicit_tls(connection->info.protocol)) {
      auto status = co_await connection->stream.start_tls(tls_->current(),
                                                          Stream::Clock::now() + std::chrono::seconds(30));
      if (!status) {
        connection->log.info("TLS handshake failed: {}", io_error_name(status.error()));
        ready = false;
      }
    }
    if (ready) co_await handler->serve(connection);
  } catch (const std::exception& e) {
    // Programming errors end up here: log with the session id, close this connection, keep serving the rest.
    connection->log.error("session failed: {}", e.what());
  }
  connection->stream.close();
  connection->log.info("disconnect");
  forget(connection->info.id);
}

}  // namespace bulwark::net
