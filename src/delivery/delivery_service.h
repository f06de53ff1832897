// The outbound delivery worker, started by `serve`: every poll_interval it takes the due messages from the
// queue, groups their recipients by destination domain (or the relay), and hands each group to that
// destination's connections: at most max_connections_per_domain per destination (max_connections in all),
// each connection delivering one message after another (connection reuse) until the destination's backlog is
// empty or max_messages_per_connection is reached. Recipients in our own domains are delivered locally.
//
// Guarantee: at least once. An outcome is recorded only after the next hop answered, so a crash (or a lost
// reply to the final dot) between that answer and the record repeats the transaction; duplicates are bounded
// by the transactions in flight at that moment (at most max_connections). See docs/operations.md.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "base/config_holder.h"
#include "delivery/delivery_job.h"
#include "delivery/dkim_signer.h"
#include "delivery/dns_resolver.h"
#include "delivery/mta_sts_resolver.h"
#include "delivery/tls_policy.h"
#include "net/background_service.h"

namespace bulwark::delivery {

class DeliveryService final : public net::BackgroundService, public std::enable_shared_from_this<DeliveryService> {
 public:
  static Result<std::shared_ptr<DeliveryService>> create(Stores stores, ConfigHolder& config, const Config& initial);

  void start(net::asio::io_context& io, net::BlockingExecutor blocking) override;
  void release_io() override;
  void stop() override;
  // A message was queued (its id) or made due (nullopt: all of them): deliver now rather than at the next
  // poll. Thread-safe; WakingQueue calls it.
  void wake(std::optional<store::QueueId> id);

 private:
  // Messages whose TLS demands differ never share a connection: REQUIRETLS (RFC 8689) and "TLS-Required: No"
  // messages get destinations of their own, so each connection has one TlsRequirement.
  enum class TlsClass { normal, requiretls, tls_optional };
  struct Destination {
    std::string key;     // target + TLS class suffix; the map key
    std::string target;  // domain, or "[relay]"
    TlsClass tls_class = TlsClass::normal;
    std::deque<Job> jobs;
    std::size_t connections = 0;
    // Connections with nothing to send, each waiting on its timer (connection_cache_time) for the next job;
    // dispatch() cancels one instead of opening a new connection.
    std::vector<std::shared_ptr<net::asio::steady_timer>> idle;
  };

  DeliveryService(Stores stores, ConfigHolder& config, std::unique_ptr<DnsResolver> resolver,
                  std::unique_ptr<DkimSigner> signer, std::shared_ptr<net::asio::ssl::context> tls,
                  std::shared_ptr<net::asio::ssl::context> verifying_tls, std::filesystem::path mta_sts_cache);

  // What this destination's connection demands of TLS (tls_policy.h); looks up MTA-STS for MX delivery.
  net::awaitable<TlsRequirement> tls_requirement(std::shared_ptr<Destination> dest, std::shared_ptr<const Config> config);

  static net::awaitable<void> poll_loop(std::shared_ptr<DeliveryService> self);
  static net::awaitable<void> run_connection(std::shared_ptr<DeliveryService> self, std::shared_ptr<Destination> dest);
  static net::awaitable<void> run_local(std::shared_ptr<DeliveryService> self, Job job);
  net::awaitable<void> complete(const Job& job, const std::vector<RecipientOutcome>& outcomes);
  // `tls`: what the per-recipient state records about TLS (empty when no connection was tried).
  net::awaitable<void> fail_destination(const std::shared_ptr<Destination>& dest, const Failure& failure,
                                        const std::string& tls);

  void dispatch(Job job);                                  // mutex_ held
  void open_connections(const std::shared_ptr<Destination>& dest);  // mutex_ held
  std::optional<Job> next_job(const std::shared_ptr<Destination>& dest);
  static net::awaitable<std::optional<Job>> wait_for_job(std::shared_ptr<DeliveryService> self,
                                                         std::shared_ptr<Destination> dest);
  static void wake_idle(Destination& dest);  // mutex_ held
  void connection_closed(const std::shared_ptr<Destination>& dest);
  void job_done(store::QueueId id);

  Stores stores_;
  ConfigHolder& config_;
  std::unique_ptr<DnsResolver> resolver_;
  std::unique_ptr<DkimSigner> signer_;
  std::shared_ptr<net::asio::ssl::context> tls_;
  std::unique_ptr<MtaStsResolver> mta_sts_;
  net::asio::io_context* io_ = nullptr;
  std::optional<net::BlockingExecutor> blocking_;
  std::optional<net::asio::strand<net::asio::io_context::executor_type>> strand_;  // the poll loop's
  std::unique_ptr<net::asio::steady_timer> timer_;  // the poll loop's wait; wake() cancels it
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Destination>> destinations_;
  std::map<store::QueueId, std::size_t> in_flight_;  // message -> its jobs not yet finished
  std::size_t connections_ = 0;
  std::vector<store::QueueId> fresh_;  // queued since the loop last looked
  bool full_poll_wanted_ = false;
  bool wake_posted_ = false;
};

}  // namespace bulwark::delivery
