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
constexpr const char* kDebianRootKey = "/usr/share/dns/root.key";

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
  // The relay is our own choice of next hop, not found through MX: DANE (RFC 7672) does not apply to it.
  BULWARK_TRY_ASSIGN(auto hp, split_host_port(c.relay_host));
  if (is_ip_literal(hp.first)) return std::vector<RouteHost>{RouteHost{hp.first, {hp.first}}};
  BULWARK_TRY_ASSIGN(auto addresses, resolver.lookup_addresses(hp.first));
  if (addresses.empty()) return fail(Errc::temporary_failure, "relay " + hp.first + " has no address");
  return std::vector<RouteHost>{RouteHost{hp.first, std::move(addresses)}};
}

// A client TLS context that trusts the system CA store plus `ca_file`. With verify_none the handshake goes on
// whatever the certificate; the caller then reads the verification result (tls_policy.h). With verify_peer a
// bad certificate fails the handshake (the MTA-STS policy fetch).
Result<std::shared_ptr<asio::ssl::context>> client_context(const std::string& ca_file, bool verify_peer) {
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_compression);
  boost::system::error_code ec;
  tls->set_default_verify_paths(ec);
  if (ec) return fail(Errc::internal, "cannot load the system CA store: " + ec.message());
  if (!ca_file.empty()) {
    tls->load_verify_file(ca_file, ec);
    if (ec) return fail(Errc::invalid_argument, "delivery.tls_ca_file " + ca_file + ": " + ec.message());
  }
  tls->set_verify_mode(verify_peer ? asio::ssl::verify_peer : asio::ssl::verify_none);
  return tls;
}

const char* tls_class_suffix(int tls_class) {
  switch (tls_class) {
    case 1: return "#requiretls";
    case 2: return "#tls-optional";
    default: return "";
  }
}

// RFC 7672 2.2: each host's DANE policy, looked up (TLSA) only for hosts whose MX and address answers were
// DNSSEC-secure. Blocking; one entry per host of `route`.
std::vector<DanePolicy> dane_policies(DnsResolver& resolver, const std::vector<RouteHost>& route,
                                      const std::string& key, std::uint16_t port) {
  std::vector<DanePolicy> out;
  for (const auto& host : route) {
    if (key == kRelayKey || !host.secure) {
      out.push_back(dane_policy(host, key, nullptr));
      continue;
    }
    auto tlsa = resolver.lookup_tlsa(host.name, port);
    out.push_back(dane_policy(host, key, &tlsa));
    const auto& p = out.back();
    spdlog::debug("delivery: DANE for {}: {}", host.name,
                  p.level == DaneLevel::verify ? fmt::format("{} usable TLSA record(s)", p.records.size())
                  : p.level == DaneLevel::encrypt ? std::string("TLSA records, none usable: TLS without authentication")
                  : p.level == DaneLevel::unavailable ? p.error
                  : tlsa->secure ? std::string("no TLSA records (secure denial)") : std::string("TLSA answer insecure"));
  }
  return out;
}

// The trust anchor DNSSEC validation starts from: the configured file, else Debian's (dns-root-data).
DnssecSettings dnssec_settings(const DeliveryConfig& c) {
  DnssecSettings s;
  s.enabled = c.dnssec;
  s.trust_anchor_file = c.dnssec_trust_anchor_file;
  if (s.enabled && s.trust_anchor_file.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(kDebianRootKey, ec)) s.trust_anchor_file = kDebianRootKey;
  }
  return s;
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
  auto dnssec = dnssec_settings(initial.delivery);
  BULWARK_TRY_ASSIGN(auto resolver, DnsResolver::create(initial.delivery.resolver, dnssec));
  if (resolver->validates()) {
    spdlog::info("delivery: DNSSEC validation with trust anchor {}; DANE (RFC 7672) enforced", dnssec.trust_anchor_file);
  } else {
    spdlog::info("delivery: no DNSSEC validation ({}); DANE is not used", dnssec.enabled ? "no trust anchor file" : "delivery.dnssec = false");
  }
  auto dkim_dir = initial.delivery.dkim_dir.empty() ? initial.data_dir / "dkim"
                                                    : std::filesystem::path(initial.delivery.dkim_dir);
  auto signer = std::make_unique<DkimSigner>(dkim_dir);
  // Opportunistic TLS (RFC 7435): encrypt whenever offered; the certificate is checked only when a policy
  // demands it (tls_policy.h), so one context serves both and a failed check never pushes mail to plaintext.
  BULWARK_TRY_ASSIGN(auto tls, client_context(initial.delivery.tls_ca_file, false));
  // DANE (RFC 7672) verifies per connection (delivery/dane.h); the context only has to allow it.
  if (!enable_dane(tls->native_handle())) return fail(Errc::internal, "OpenSSL: cannot enable DANE");
  BULWARK_TRY_ASSIGN(auto verifying, client_context(initial.delivery.tls_ca_file, true));
  return std::shared_ptr<DeliveryService>(new DeliveryService(stores, config, std::move(resolver), std::move(signer),
                                                              std::move(tls), std::move(verifying),
                                                              initial.data_dir / "mta-sts"));
}

DeliveryService::DeliveryService(Stores stores, ConfigHolder& config, std::unique_ptr<DnsResolver> resolver,
                                 std::unique_ptr<DkimSigner> signer, std::shared_ptr<asio::ssl::context> tls,
                                 std::shared_ptr<asio::ssl::context> verifying_tls, std::filesystem::path mta_sts_cache)
    : stores_(stores), config_(config), resolver_(std::move(resolver)), signer_(std::move(signer)), tls_(std::move(tls)) {
  mta_sts_ = std::make_unique<MtaStsResolver>(*resolver_, std::move(mta_sts_cache), std::move(verifying_tls));
}

void DeliveryService::start(asio::io_context& io, net::BlockingExecutor blocking) {
  io_ = &io;
  blocking_ = blocking;
  strand_.emplace(asio::make_strand(io));
  timer_ = std::make_unique<asio::steady_timer>(*strand_);
  started_ = true;
  asio::co_spawn(*strand_, poll_loop(shared_from_this()), asio::detached);
}

void DeliveryService::release_io() {
  std::lock_guard lock(mutex_);
  for (auto& [key, destination] : destinations_) destination->idle.clear();
  timer_.reset();
  strand_.reset();
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
  std::string target = config->delivery.relay_host.empty() ? job.domain : std::string(kRelayKey);
  const auto& envelope = job.message->envelope;
  TlsClass tls_class = envelope.require_tls    ? TlsClass::requiretls
                       : envelope.tls_optional ? TlsClass::tls_optional
                                               : TlsClass::normal;
  std::string key = target + tls_class_suffix(static_cast<int>(tls_class));
  auto& dest = destinations_[key];
  if (!dest) {
    dest = std::make_shared<Destination>();
    dest->key = key;
    dest->target = target;
    dest->tls_class = tls_class;
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

net::awaitable<void> DeliveryService::fail_destination(const std::shared_ptr<Destination>& dest, const Failure& failure,
                                                       const std::string& tls) {
  for (;;) {
    auto job = next_job(dest);
    if (!job) break;
    std::vector<RecipientOutcome> outcomes;
    for (auto i : job->recipients) outcomes.push_back(RecipientOutcome{i, failure.permanent ? OutcomeKind::permanent
                                                                                            : OutcomeKind::transient,
                                                                       failure, std::string(), true, tls});
    co_await complete(*job, outcomes);
  }
}

net::awaitable<TlsRequirement> DeliveryService::tls_requirement(std::shared_ptr<Destination> dest,
                                                                std::shared_ptr<const Config> config) {
  const auto& dc = config->delivery;
  TlsRequirement r;
  std::vector<std::string> sources;
  if (dest->tls_class == TlsClass::requiretls) {
    r.tls_required = r.verify = r.requiretls = true;
    sources.emplace_back("REQUIRETLS");
  }
  if (dest->target == kRelayKey) {
    // MTA-STS and require_tls_domains describe MX delivery; the relay is our own choice and is checked itself.
    if (dc.relay_tls_verify) {
      r.tls_required = r.verify = true;
      sources.emplace_back("relay");
    }
  } else if (dest->tls_class == TlsClass::tls_optional) {
    sources.emplace_back("TLS-Required: No");  // RFC 8689 4: MTA-STS and local policies waived
  } else {
    if (dc.mta_sts) {
      MtaStsSettings settings{dc.mta_sts_port, dc.mta_sts_fetch_timeout, dc.mta_sts_max_policy_bytes,
                              dc.mta_sts_allow_private_addresses};
      std::string domain = dest->target;
      r.mta_sts = co_await mta_sts_->policy_for(std::move(domain), settings, *blocking_);
    }
    if (r.mta_sts && r.mta_sts->policy.mode == parse::mta_sts::Mode::enforce) {
      r.tls_required = r.verify = true;
      sources.emplace_back("MTA-STS enforce");
    }
    if (requires_tls(*config, dest->target)) {
      r.tls_required = r.verify = true;
      sources.emplace_back("require_tls_domains");
    }
    if (r.mta_sts && r.mta_sts->policy.mode == parse::mta_sts::Mode::testing && !r.verify) {
      r.verify = r.report_only = true;  // RFC 8461 5: testing mode reports, never blocks
      sources.emplace_back("MTA-STS testing");
    }
  }
  for (const auto& s : sources) r.source += (r.source.empty() ? "" : ", ") + s;
  co_return r;
}

net::awaitable<void> DeliveryService::run_connection(std::shared_ptr<DeliveryService> self,
                                                     std::shared_ptr<Destination> dest) {
  auto config = self->config_.get();
  const auto& dc = config->delivery;
  auto resolver = self->resolver_.get();
  const std::string key = dest->target;
  auto requirement = co_await self->tls_requirement(dest, config);
  std::uint16_t port = dc.port;
  if (key == kRelayKey) port = split_host_port(dc.relay_host)->second;
  auto route_call = [resolver, dc, key, port]() -> Result<std::pair<std::vector<RouteHost>, std::vector<DanePolicy>>> {
    BULWARK_TRY_ASSIGN(auto hosts, resolve_route(*resolver, dc, key));
    auto dane = dane_policies(*resolver, hosts, key, port);
    return std::pair{std::move(hosts), std::move(dane)};
  };
  auto routed = co_await net::run_blocking(*self->blocking_, std::move(route_call));
  auto route = routed ? Result<std::vector<RouteHost>>(routed->first) : tl::unexpected(routed.error());
  if (!route) {
    bool permanent = route.error().code == Errc::not_found || route.error().code == Errc::permission_denied;
    std::string status = route.error().code == Errc::permission_denied ? "5.1.10" : permanent ? "5.1.2" : "4.4.3";
    Failure failure = local_failure(permanent, status, route.error().detail);
    const std::string no_tls;
    co_await self->fail_destination(dest, failure, no_tls);
    self->connection_closed(dest);
    co_return;
  }
  const std::string unmet = requirement.source.empty() ? std::string() : "not established; required by " + requirement.source +
      (requirement.mta_sts ? " (policy id=" + requirement.mta_sts->id + ")" : "");
  if (requirement.mta_sts) {
    // RFC 8461 4.1: under enforce only the MX hosts the policy names are used; under testing a mismatch is
    // only reported.
    const auto& policy = requirement.mta_sts->policy;
    std::vector<RouteHost> allowed;
    std::vector<DanePolicy> allowed_dane;
    for (std::size_t h = 0; h < route->size(); ++h) {
      auto& host = (*route)[h];
      if (parse::mta_sts::policy_allows_mx(policy, host.name)) {
        allowed.push_back(std::move(host));
        allowed_dane.push_back(std::move(routed->second[h]));
        continue;
      }
      spdlog::warn("delivery: MTA-STS {} {}: MX {} is not in the policy (id={}){}", key,
                   parse::mta_sts::mode_name(policy.mode), host.name, requirement.mta_sts->id,
                   policy.mode == parse::mta_sts::Mode::enforce ? ", not used" : "");
      if (policy.mode != parse::mta_sts::Mode::enforce) {
        allowed.push_back(std::move(host));
        allowed_dane.push_back(std::move(routed->second[h]));
      }
    }
    if (allowed.empty()) {
      Failure failure = local_failure(requirement.failure_is_permanent(), requirement.failure_status(),
                                      "no MX host of " + key + " matches its MTA-STS policy (id=" +
                                          requirement.mta_sts->id + ")");
      spdlog::warn("delivery: {}: {}", dest->key, failure.diagnostic);
      co_await self->fail_destination(dest, failure, unmet);
      self->connection_closed(dest);
      co_return;
    }
    *route = std::move(allowed);
    routed->second = std::move(allowed_dane);
  }

  ClientSettings settings;
  settings.helo_name = dc.helo_name.empty() ? config->hostname : dc.helo_name;
  settings.command_timeout = dc.command_timeout;
  settings.data_timeout = dc.data_timeout;
  if (key == kRelayKey) {
    settings.auth_user = dc.relay_user;
    settings.auth_password = dc.relay_password;
  }
  settings.requirement = requirement;

  std::unique_ptr<SmtpClient> client;
  std::string peer;
  Failure last = local_failure(false, "4.4.1", "no MX host of " + key + " answered");
  std::string last_dane;  // the DANE outcome of the last failed attempt
  for (std::size_t h = 0; h < route->size(); ++h) {
    const auto& host = (*route)[h];
    settings.dane = routed->second[h];
    if (settings.dane.level == DaneLevel::unavailable) {
      last = local_failure(false, "4.7.5", settings.dane.error);
      last_dane = settings.dane.error;
      spdlog::info("delivery: {}: skipping {}: {}", key, host.name, settings.dane.error);
      continue;
    }
    for (const auto& address : host.addresses) {
      for (bool use_tls : {true, false}) {
        // RFC 7672 2.2: a host with TLSA records never gets the mail in clear.
        if (!use_tls && settings.dane.requires_tls()) break;
        settings.tls = use_tls ? self->tls_ : nullptr;
        settings.verify_name = host.name;
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
        last_dane = candidate->dane_status();
        // Opportunistic TLS: a server whose TLS does not work gets the mail in clear (RFC 7435), unless the
        // requirement or DANE says TLS (open() refused such a host already).
        if (!candidate->tls_failed() || requirement.tls_required || settings.dane.requires_tls()) break;
      }
      if (client) break;
    }
    if (client) break;
  }
  if (!client) {
    if (requirement.tls_required || !last_dane.empty()) spdlog::warn("delivery: {}: {}", dest->key, last.diagnostic);
    else spdlog::info("delivery: {}: {}", dest->key, last.diagnostic);
    const std::string tls_state = last_dane.empty() ? unmet : "not established; " + last_dane;
    co_await self->fail_destination(dest, last, tls_state);
    self->connection_closed(dest);
    co_return;
  }
  std::string tls = describe_tls(requirement, client->is_tls(), client->tls_verified(), client->tls_description(),
                                 client->dane_verified());
  if (!client->dane_status().empty()) tls += " (" + client->dane_status() + ")";
  spdlog::info("delivery: connected to {} for {} tls={}", peer, key, tls);
  if (!client->tls_warning().empty()) {
    spdlog::warn("delivery: MTA-STS testing {}: {}; delivering anyway", key, client->tls_warning());
  }

  std::size_t sent = 0;
  while (!self->stopping_ && sent < dc.max_messages_per_connection) {
    auto job = self->next_job(dest);
    if (!job) job = co_await wait_for_job(self, dest);
    if (!job) break;
    ++sent;
    const auto& m = *job->message;
    std::vector<RecipientOutcome> outcomes;
    auto all = [&](OutcomeKind kind, const Failure& f) {
      for (auto i : job->recipients) outcomes.push_back(RecipientOutcome{i, kind, f, peer, true, tls});
    };
    if (m.envelope.require_tls && !(client->is_tls() && client->tls_verified())) {
      // Never reached while destinations are split by TLS class (dispatch); kept as the last line of defence.
      all(OutcomeKind::permanent, local_failure(true, "5.7.30", "REQUIRETLS: " + peer + " is not verified TLS"));
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
    out.require_tls = m.envelope.require_tls;
    out.content = &*content;
    for (auto i : job->recipients) {
      const auto& r = m.recipients[i].recipient;
      out.recipients.push_back(OutgoingRecipient{r.address, r.notify, r.orcpt});
    }
    auto result = co_await client->send(out);
    const bool has_dsn = client->extensions().dsn;
    for (std::size_t k = 0; k < job->recipients.size(); ++k) {
      RecipientOutcome o{job->recipients[k], OutcomeKind::delivered, {}, peer, has_dsn, tls};
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
