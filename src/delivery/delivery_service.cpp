#include "delivery/delivery_service.h"

#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/blocking.h"

namespace bulwark::delivery {
namespace {

using namespace net::asio::experimental::awaitable_operators;
namespace asio = net::asio;

constexpr const char* kRelayKey = "[relay]";
constexpr std::size_t kMaxMxHosts = 5;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

JobSettings job_settings(const Config& c) {
  JobSettings s;
  s.retry = RetryPolicy{c.delivery.retry_base, c.delivery.retry_max, c.delivery.lifetime};
  s.hostname = c.hostname;
  return s;
}

bool requires_tls(const Config& c, const std::string& domain) {
  for (const auto& d : c.delivery.require_tls_domains) {
    if (d == domain) return true;
  }
  return false;
}

// Where a destination's mail goes: MX hosts (or the domain itself), or the relay. Blocking.
Result<std::vector<RouteHost>> resolve_route(DnsResolver& resolver, const DeliveryConfig& c, const std::string& key) {
  if (key != kRelayKey) return resolver.route(key, kMaxMxHosts);
  BULWARK_TRY_ASSIGN(auto hp, split_host_port(c.relay_host));
  if (is_ip_literal(hp.first)) return std::vector<RouteHost>{RouteHost{hp.first, {hp.first}}};
  BULWARK_TRY_ASSIGN(auto addresses, resolver.lookup_addresses(hp.first));
  if (addresses.empty()) return fail(Errc::temporary_failure, "relay " + hp.first + " has no address");
  return std::vector<RouteHost>{RouteHost{hp.first, std::move(addresses)}};
}

net::awaitable<std::optional<net::tcp::socket>> connect_to(std::string address, std::uint16_t port,
                                                           std::chrono::seconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) co_return std::nullopt;
  net::tcp::socket socket(executor);
  asio::steady_timer timer(executor);
  timer.expires_after(timeout);
  net::tcp::endpoint endpoint(ip, port);
  auto result = co_await (socket.async_connect(endpoint, net::use_tuple) || timer.async_wait(net::use_tuple));
  if (result.index() == 1) co_return std::nullopt;
  auto [connect_ec] = std::get<0>(result);
  if (connect_ec) co_return std::nullopt;
  socket.set_option(net::tcp::no_delay(true), ec);
  co_return std::optional<net::tcp::socket>(std::move(socket));
}

}  // namespace

Result<std::shared_ptr<DeliveryService>> DeliveryService::create(Stores stores, ConfigHolder& config,
                                                                 const Config& initial) {
  BULWARK_TRY_ASSIGN(auto resolver, DnsResolver::create(initial.delivery.resolver));
  auto dkim_dir = initial.delivery.dkim_dir.empty() ? initial.data_dir / "dkim"
                                                    : std::filesystem::path(initial.delivery.dkim_dir);
  auto signer = std::make_unique<DkimSigner>(dkim_dir);
  // Opportunistic TLS (RFC 7435): encrypt whenever offered, without certificate checks; a failed check would
  // only push the mail to plaintext. Policies that demand authentication (MTA-STS, DANE) are not built yet.
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_compression);
  tls->set_verify_mode(asio::ssl::verify_none);
  return std::shared_ptr<DeliveryService>(
      new DeliveryService(stores, config, std::move(resolver), std::move(signer), std::move(tls)));
}

DeliveryService::DeliveryService(Stores stores, ConfigHolder& config, std::unique_ptr<DnsResolver> resolver,
                                 std::unique_ptr<DkimSigner> signer, std::shared_ptr<asio::ssl::context> tls)
    : stores_(stores), config_(config), resolver_(std::move(resolver)), signer_(std::move(signer)), tls_(std::move(tls)) {}

void DeliveryService::start(asio::io_context& io, net::BlockingExecutor blocking) {
  io_ = &io;
  blocking_ = blocking;
  strand_.emplace(asio::make_strand(io));
  timer_ = std::make_unique<asio::steady_timer>(*strand_);
  started_ = true;
  asio::co_spawn(*strand_, poll_loop(shared_from_this()), asio::detached);
}

void DeliveryService::stop() {
  stopping_ = true;
  wake(std::nullopt);
  std::lock_guard lock(mutex_);
  for (auto& [key, dest] : destinations_) {
    while (!dest->idle.empty()) wake_idle(*dest);
  }
}

void DeliveryService::wake(std::optional<store::QueueId> id) {
  if (!started_) return;  // not running (e.g. [delivery] enabled = false); its first pass reads the whole queue
  bool post = false;
  {
    std::lock_guard lock(mutex_);
    if (id) fresh_.push_back(*id);
    else full_poll_wanted_ = true;
    post = !wake_posted_;
    wake_posted_ = true;
  }
  // One cancel per batch of wake-ups; the loop looks at fresh_ before it waits, so none is lost.
  if (post) {
    asio::post(*strand_, [self = shared_from_this()] { self->timer_->cancel(); });
  }
}

net::awaitable<void> DeliveryService::poll_loop(std::shared_ptr<DeliveryService> self) {
  spdlog::info("delivery: worker started");
  auto last_full = std::chrono::steady_clock::time_point{};  // the first pass reads the whole queue
  while (!self->stopping_) {
    auto config = self->config_.get();
    std::set<store::QueueId> busy;
    std::vector<store::QueueId> fresh;
    bool full = std::chrono::steady_clock::now() - last_full >= config->delivery.poll_interval;
    {
      std::lock_guard lock(self->mutex_);
      fresh.swap(self->fresh_);
      full = full || self->full_poll_wanted_;
      self->full_poll_wanted_ = false;
      self->wake_posted_ = false;
      for (const auto& [id, n] : self->in_flight_) busy.insert(id);
    }
    if (full) last_full = std::chrono::steady_clock::now();
    std::size_t room = config->delivery.max_messages_in_flight > busy.size()
                           ? config->delivery.max_messages_in_flight - busy.size() : 0;
    // Just-queued messages beyond `room` are left to the next full poll, which finds them due.
    if (room > 0 && config->delivery.enabled && (full || !fresh.empty())) {
      auto stores = self->stores_;
      auto now = now_seconds();
      if (fresh.size() > room) fresh.resize(room);
      auto plan = [stores, now, room, busy, full, fresh] {
        return full ? plan_due(stores, now, room, busy) : plan_queued(stores, now, fresh, busy);
      };
      auto jobs = co_await net::run_blocking(*self->blocking_, std::move(plan));
      if (!jobs) {
        spdlog::error("delivery: cannot read the queue: {}", jobs.error().detail);
      } else {
        std::lock_guard lock(self->mutex_);
        for (auto& job : *jobs) {
          ++self->in_flight_[job.message->id];
          if (job.local) {
            asio::co_spawn(asio::make_strand(*self->io_), run_local(self, std::move(job)), asio::detached);
          } else {
            self->dispatch(std::move(job));
          }
        }
      }
    }
    {
      std::lock_guard lock(self->mutex_);
      if (!self->fresh_.empty() || self->full_poll_wanted_) continue;  // woken while busy: go again at once
    }
    self->timer_->expires_at(last_full + config->delivery.poll_interval);
    co_await self->timer_->async_wait(net::use_tuple);
  }
  spdlog::info("delivery: worker stopped");
}

void DeliveryService::dispatch(Job job) {
  auto config = config_.get();
  std::string key = config->delivery.relay_host.empty() ? job.domain : std::string(kRelayKey);
  auto& dest = destinations_[key];
  if (!dest) {
    dest = std::make_shared<Destination>();
    dest->key = key;
  }
  dest->jobs.push_back(std::move(job));
  if (!dest->idle.empty()) {
    wake_idle(*dest);  // an open connection takes it
  } else {
    open_connections(dest);
  }
}

void DeliveryService::wake_idle(Destination& dest) {
  auto timer = std::move(dest.idle.back());
  dest.idle.pop_back();
  // The timer belongs to its connection's strand: cancel it there.
  asio::post(timer->get_executor(), [timer] { timer->cancel(); });
}

void DeliveryService::open_connections(const std::shared_ptr<Destination>& dest) {
  auto config = config_.get();
  while (!stopping_ && dest->connections < config->delivery.max_connections_per_domain &&
         connections_ < config->delivery.max_connections && dest->connections < dest->jobs.size()) {
    ++dest->connections;
    ++connections_;
    asio::co_spawn(asio::make_strand(*io_), run_connection(shared_from_this(), dest), asio::detached);
  }
  // At the total limit while this destination waits: close an idle connection of another one, whose slot then
  // comes here (connection_closed).
  if (!dest->jobs.empty() && dest->connections < config->delivery.max_connections_per_domain &&
      connections_ >= config->delivery.max_connections) {
    for (auto& [key, other] : destinations_) {
      if (other != dest && !other->idle.empty()) {
        wake_idle(*other);
        break;
      }
    }
  }
}

std::optional<Job> DeliveryService::next_job(const std::shared_ptr<Destination>& dest) {
  std::lock_guard lock(mutex_);
  if (dest->jobs.empty()) return std::nullopt;
  Job job = std::move(dest->jobs.front());
  dest->jobs.pop_front();
  return job;
}

net::awaitable<std::optional<Job>> DeliveryService::wait_for_job(std::shared_ptr<DeliveryService> self,
                                                                 std::shared_ptr<Destination> dest) {
  auto config = self->config_.get();
  if (config->delivery.connection_cache_time.count() <= 0 || self->stopping_) co_return std::nullopt;
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
  timer->expires_after(config->delivery.connection_cache_time);
  {
    std::lock_guard lock(self->mutex_);
    if (!dest->jobs.empty()) {
      Job job = std::move(dest->jobs.front());
      dest->jobs.pop_front();
      co_return job;
    }
    dest->idle.push_back(timer);
  }
  co_await timer->async_wait(net::use_tuple);
  std::lock_guard lock(self->mutex_);
  std::erase(dest->idle, timer);  // still listed when the time ran out
  // Woken without a job (another connection took it, or a slot is wanted elsewhere): close.
  if (dest->jobs.empty() || self->stopping_) co_return std::nullopt;
  Job job = std::move(dest->jobs.front());
  dest->jobs.pop_front();
  co_return job;
}

void DeliveryService::connection_closed(const std::shared_ptr<Destination>& dest) {
  std::lock_guard lock(mutex_);
  --dest->connections;
  --connections_;
  if (dest->jobs.empty() && dest->connections == 0) {
    destinations_.erase(dest->key);
  }
  // A freed connection slot may serve this destination's rest or one that waited for the total limit.
  for (auto& [key, d] : destinations_) open_connections(d);
}

void DeliveryService::job_done(store::QueueId id) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(id);
  if (it != in_flight_.end() && --it->second == 0) in_flight_.erase(it);
}

net::awaitable<void> DeliveryService::complete(const Job& job, const std::vector<RecipientOutcome>& outcomes) {
  auto stores = stores_;
  auto settings = job_settings(*config_.get());
  auto now = now_seconds();
  Job copy = job;
  auto outcomes_copy = outcomes;
  auto finish = [stores, settings, copy, outcomes_copy, now] { return finish_job(stores, settings, copy, outcomes_copy, now); };
  auto lines = co_await net::run_blocking(*blocking_, std::move(finish));
  if (!lines) {
    spdlog::error("delivery: queue={} cannot record the outcome: {}", job.message->id, lines.error().detail);
  } else {
    for (const auto& line : *lines) spdlog::info("delivery: queue={} {}", job.message->id, line);
  }
  job_done(job.message->id);
}

net::awaitable<void> DeliveryService::run_local(std::shared_ptr<DeliveryService> self, Job job) {
  auto stores = self->stores_;
  auto now = now_seconds();
  Job copy = job;
  auto deliver = [stores, copy, now] { return deliver_local(stores, copy, now); };
  auto outcomes = co_await net::run_blocking(*self->blocking_, std::move(deliver));
  co_await self->complete(job, outcomes);
}

net::awaitable<void> DeliveryService::fail_destination(const std::shared_ptr<Destination>& dest, const Failure& failure) {
  for (;;) {
    auto job = next_job(dest);
    if (!job) break;
    std::vector<RecipientOutcome> outcomes;
    for (auto i : job->recipients) outcomes.push_back(RecipientOutcome{i, failure.permanent ? OutcomeKind::permanent
                                                                                            : OutcomeKind::transient,
                                                                       failure, std::string(), true});
    co_await complete(*job, outcomes);
  }
}

net::awaitable<void> DeliveryService::run_connection(std::shared_ptr<DeliveryService> self,
                                                     std::shared_ptr<Destination> dest) {
  auto config = self->config_.get();
  const auto& dc = config->delivery;
  auto resolver = self->resolver_.get();
  std::string key = dest->key;
  auto route_call = [resolver, dc, key] { return resolve_route(*resolver, dc, key); };
  auto route = co_await net::run_blocking(*self->blocking_, std::move(route_call));
  if (!route) {
    bool permanent = route.error().code == Errc::not_found || route.error().code == Errc::permission_denied;
    std::string status = route.error().code == Errc::permission_denied ? "5.1.10" : permanent ? "5.1.2" : "4.4.3";
    Failure failure = local_failure(permanent, status, route.error().detail);
    co_await self->fail_destination(dest, failure);
    self->connection_closed(dest);
    co_return;
  }
  std::uint16_t port = dc.port;
  if (key == kRelayKey) port = split_host_port(dc.relay_host)->second;

  ClientSettings settings;
  settings.helo_name = dc.helo_name.empty() ? config->hostname : dc.helo_name;
  settings.command_timeout = dc.command_timeout;
  settings.data_timeout = dc.data_timeout;
  if (key == kRelayKey) {
    settings.auth_user = dc.relay_user;
    settings.auth_password = dc.relay_password;
  }

  std::unique_ptr<SmtpClient> client;
  std::string peer;
  Failure last = local_failure(false, "4.4.1", "no MX host of " + key + " answered");
  for (const auto& host : *route) {
    for (const auto& address : host.addresses) {
      for (bool use_tls : {true, false}) {
        settings.tls = use_tls ? self->tls_ : nullptr;
        auto socket = co_await connect_to(address, port, dc.connect_timeout);
        if (!socket) {
          last = local_failure(false, "4.4.1", fmt::format("cannot connect to {}[{}]:{}", host.name, address, port));
          break;
        }
        auto candidate = std::make_unique<SmtpClient>(std::move(*socket), settings, host.name);
        auto failure = co_await candidate->open();
        if (!failure) {
          client = std::move(candidate);
          peer = fmt::format("{}[{}]:{}", host.name, address, port);
          break;
        }
        last = *failure;
        // Opportunistic TLS: a server whose TLS does not work gets the mail in clear (RFC 7435), unless a
        // policy requires TLS; that is checked per message below.
        if (!candidate->tls_failed()) break;
      }
      if (client) break;
    }
    if (client) break;
  }
  if (!client) {
    spdlog::info("delivery: {}: {}", key, last.diagnostic);
    co_await self->fail_destination(dest, last);
    self->connection_closed(dest);
    co_return;
  }
  const std::string tls = client->is_tls() ? client->tls_description() : std::string("none");
  spdlog::info("delivery: connected to {} for {} tls={}", peer, key, tls);

  std::size_t sent = 0;
  while (!self->stopping_ && sent < dc.max_messages_per_connection) {
    auto job = self->next_job(dest);
    if (!job) job = co_await wait_for_job(self, dest);
    if (!job) break;
    ++sent;
    const auto& m = *job->message;
    std::vector<RecipientOutcome> outcomes;
    auto all = [&](OutcomeKind kind, const Failure& f) {
      for (auto i : job->recipients) outcomes.push_back(RecipientOutcome{i, kind, f, peer, true});
    };
    if (!client->is_tls() && (m.envelope.require_tls || requires_tls(*config, job->domain))) {
      // RFC 8689 5: a REQUIRETLS message that cannot go out encrypted bounces; a domain policy only defers.
      if (m.envelope.require_tls) all(OutcomeKind::permanent, local_failure(true, "5.7.10", "REQUIRETLS: " + peer + " offers no TLS"));
      else all(OutcomeKind::transient, local_failure(false, "4.7.10", "TLS required for " + job->domain + ", and " + peer + " offers none"));
      co_await self->complete(*job, outcomes);
      continue;
    }
    auto stores = self->stores_;
    auto signer = self->signer_.get();
    auto message = job->message;
    auto now = now_seconds();
    auto read = [stores, signer, message, now] { return prepare_content(stores, signer, *message, now); };
    auto content = co_await net::run_blocking(*self->blocking_, std::move(read));
    if (!content) {
      all(OutcomeKind::transient, local_failure(false, "4.3.0", "cannot read the queued message: " + content.error().detail));
      co_await self->complete(*job, outcomes);
      continue;
    }
    OutgoingMessage out;
    out.sender = m.envelope.sender;
    out.envid = m.envelope.envid;
    out.ret = m.envelope.ret;
    out.eight_bit = m.envelope.eight_bit;
    out.smtputf8 = m.envelope.smtputf8;
    out.content = &*content;
    for (auto i : job->recipients) {
      const auto& r = m.recipients[i].recipient;
      out.recipients.push_back(OutgoingRecipient{r.address, r.notify, r.orcpt});
    }
    auto result = co_await client->send(out);
    const bool has_dsn = client->extensions().dsn;
    for (std::size_t k = 0; k < job->recipients.size(); ++k) {
      RecipientOutcome o{job->recipients[k], OutcomeKind::delivered, {}, peer, has_dsn};
      const auto& f = result.recipients[k] ? result.recipients[k] : result.message;
      if (f) {
        o.kind = f->permanent ? OutcomeKind::permanent : OutcomeKind::transient;
        o.failure = *f;
      }
      outcomes.push_back(std::move(o));
    }
    spdlog::info("delivery: queue={} relay={} tls={} size={}", m.id, peer, tls, content->size());
    co_await self->complete(*job, outcomes);
    if (!result.connection_usable) break;
  }
  co_await client->quit();
  self->connection_closed(dest);
}

}  // namespace bulwark::delivery
