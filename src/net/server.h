// The async core: one process, one io_context per I/O thread (one per core by default), one coroutine per
// connection on its own strand, a separate pool for blocking calls, connection limits, and shutdown as one
// visible step:
//   SIGTERM/SIGINT -> stop accepting -> every session is interrupted and says goodbye (421 / * BYE)
//   -> after `grace` the rest are closed -> run() returns.
// SIGHUP calls the reload callback (configuration, limits, log level, certificates).
#pragma once

#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "base/config.h"
#include "base/result.h"
#include "net/background_service.h"
#include "net/connection.h"
#include "net/tls_manager.h"

namespace bulwark::net {

class Server {
 public:
  Server(const Config& config, std::shared_ptr<TlsManager> tls);
  ~Server();

  // Binds a listener (before privileges are dropped). The handler serves its connections.
  [[nodiscard]] Status listen(Protocol protocol, const ListenAddress& address, std::shared_ptr<ProtocolHandler> handler);
  // A service started with run() and stopped at shutdown (kept alive by the server).
  void add_service(std::shared_ptr<BackgroundService> service) { services_.push_back(std::move(service)); }
  // The port actually bound (useful when the configuration asked for port 0 in tests).
  std::vector<std::pair<Protocol, std::string>> bound_addresses() const;

  // Serves until SIGTERM/SIGINT (or stop()). `threads` I/O threads plus `blocking_threads` for blocking calls.
  void run(unsigned threads, unsigned blocking_threads, std::function<void()> on_reload);
  void stop();  // thread-safe: starts the shutdown
  void set_limits(const LimitsConfig& limits);

 private:
  struct Listener;
  awaitable<void> accept_loop(std::shared_ptr<Listener> listener);
  awaitable<void> run_session(std::shared_ptr<Connection> connection, std::shared_ptr<ProtocolHandler> handler);
  awaitable<void> refuse(std::shared_ptr<Connection> connection, std::string line);
  awaitable<void> watch_signals();
  awaitable<void> drain();
  void begin_shutdown();
  void forget(std::uint64_t id);

  // The I/O context for a connection just accepted (on io_): the one serving the fewest connections, io_ on a
  // tie. Under light load a connection thus stays on the accepting thread: handing it to another thread cost a
  // cross-thread wake-up per connection (docs/benchmarks.md, SMTP run 9). Called with sessions_mutex_ held.
  std::size_t pick_context_locked() const;
  asio::io_context& context_at(std::size_t k) { return k == 0 ? io_ : *extra_contexts_[k - 1]; }

  // Contexts 1..threads-1, one thread each. Declared before io_ so that they outlive it: at destruction io_'s
  // pending operations (an accept, the drain) own sockets that belong to these contexts' services.
  std::vector<std::unique_ptr<asio::io_context>> extra_contexts_;
  // Context 0: listeners, signals, background services and its share of the connections. Why one context per
  // thread rather than one context run by every thread: with a shared context every completion (a socket
  // read, the end of a blocking call) could resume on another thread, and Asio woke the idle thread for
  // nearly each one: 31 context switches per SMTP message at one session, against 16 with one context per
  // thread (perf stat, docs/benchmarks.md). A connection now stays on the thread that accepted it.
  asio::io_context io_;
  // Created with the server, so SIGTERM/SIGHUP are caught from the moment it exists (not only once run() runs).
  asio::signal_set signals_{io_, SIGTERM, SIGINT, SIGHUP};
  asio::thread_pool* blocking_ = nullptr;  // exists only while run() runs
  std::shared_ptr<TlsManager> tls_;
  std::shared_ptr<ConnectionLimiter> limiter_;
  std::function<void()> on_reload_;
  std::vector<std::shared_ptr<Listener>> listeners_;
  std::vector<std::shared_ptr<BackgroundService>> services_;

  std::mutex sessions_mutex_;
  struct Session {
    std::weak_ptr<Connection> connection;
    std::size_t context = 0;  // index into live_per_context_
  };
  std::unordered_map<std::uint64_t, Session> sessions_;
  std::vector<std::size_t> live_per_context_;  // sessions served by context k; sized in run(), before io_ runs
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;

  LimitsConfig limits_;
  std::chrono::seconds grace_{10};
};

}  // namespace bulwark::net
