#include "app/serve.h"

#include <thread>

#include <spdlog/spdlog.h>

#include "app/config_loader.h"
#include "app/protocol_registry.h"
#include "app/sandbox.h"
#include "app/stores.h"
#include "base/config_holder.h"
#include "base/log.h"
#include "delivery/delivery_service.h"
#include "delivery/waking_queue.h"
#include "net/server.h"
#include "net/tls_manager.h"
#include "protocol/imap/change_hub.h"

namespace bulwark::app {
namespace {

std::vector<std::filesystem::path> readable_paths(const Config& config, const net::CertificatePaths& certs) {
  std::vector<std::filesystem::path> paths{certs.certificate, certs.private_key};
  if (!config.source.empty()) paths.push_back(std::filesystem::absolute(config.source));
  if (!config.delivery.dkim_dir.empty()) paths.emplace_back(config.delivery.dkim_dir);
  // What the libraries read at run time: DNS resolution, CA certificates (outbound TLS), time zones.
  for (const char* p : {"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/gai.conf", "/etc/ssl",
                        "/usr/lib/ssl", "/usr/share/ca-certificates", "/usr/share/zoneinfo", "/etc/localtime",
                        "/dev/urandom"}) {
    paths.emplace_back(p);
  }
  // glibc iconv loads its charset modules (and gconv-modules) on first use: RFC 2047 words and text parts in
  // ISO-8859-x, windows-125x, KOI8-R... for SEARCH and SORT. Without these, only UTF-8 and US-ASCII convert.
  for (const char* p : {"/usr/lib/x86_64-linux-gnu/gconv", "/usr/lib/aarch64-linux-gnu/gconv", "/usr/lib64/gconv",
                        "/usr/lib/gconv"}) {
    paths.emplace_back(p);
  }
#if defined(__SANITIZE_ADDRESS__)
  paths.emplace_back("/proc");  // sanitizer builds only: LeakSanitizer reads /proc/self/task at exit
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  paths.emplace_back("/proc");
#endif
#endif
  return paths;
}

}  // namespace

int config_check(const Config& config) {
  std::printf("configuration: %s\n", config.source.empty() ? "(built-in defaults)" : config.source.c_str());
  std::printf("data_dir: %s\nhostname: %s\n", config.data_dir.c_str(), config.hostname.c_str());
  std::printf("tls: %s\n", config.tls.certificate.empty()
                               ? "self-signed certificate generated into data_dir/tls on first start"
                               : config.tls.certificate.c_str());
  if (config.listen.empty()) std::printf("listen: nothing (no [listen] entries)\n");
  for (const auto& [protocol, address] : config.listen) {
    std::printf("listen: %-12s %s%s\n", std::string(protocol_name(protocol)).c_str(), address.to_string().c_str(),
                is_implicit_tls(protocol) ? " (implicit TLS)" : "");
  }
  std::printf("configuration OK\n");
  return 0;
}

int serve(Config config, const std::optional<std::filesystem::path>& config_file) {
  spdlog::info("bulwark {} starting; configuration {}", BULWARK_VERSION,
               config.source.empty() ? "(built-in defaults)" : config.source.string());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create data_dir {}: {}", config.data_dir.string(), ec.message());
    return 1;
  }
  auto certs = net::ensure_certificate(config);
  if (!certs) {
    spdlog::error("{}", certs.error().detail);
    return 1;
  }
  auto tls = std::make_shared<net::TlsManager>();
  if (auto s = tls->load(*certs); !s) {
    spdlog::error("{}", s.error().detail);
    return 1;
  }

  // Stores open first (as root, if started so: drop_privileges then hands every file in data_dir to the
  // service user), then listeners bind (ports below 1024 need root), then privileges go.
  auto opened = open_stores(config, true);
  if (!opened) {
    spdlog::error("{}", opened.error().detail);
    return 1;
  }
  Stores stores = std::move(*opened);
  ConfigHolder live(config);
  domain::auth::LoginThrottle throttle(config.auth);
  protocol::imap::ChangeHub change_hub;  // IDLE hears of SMTP deliveries and other sessions' writes at once
  // Everyone writes the queue through `queue`, which wakes the delivery worker for each new message.
  delivery::WakingQueue queue(*stores.queue);
  protocol::Services services{*stores.directory, *stores.mail, queue, throttle, live, &change_hub};
  // Declared before the server so that it outlives the server's I/O context and the coroutines in it.
  delivery::Stores delivery_stores{queue, *stores.mail, *stores.directory,
                                   [&change_hub](store::AccountId owner) { change_hub.mailbox_changed(owner, 0); }};
  auto worker = delivery::DeliveryService::create(delivery_stores, live, config);
  if (!worker) {
    spdlog::error("delivery: {}", worker.error().detail);
    return 1;
  }
  queue.set_listener([weak = std::weak_ptr<delivery::DeliveryService>(*worker)](std::optional<store::QueueId> id) {
    if (auto w = weak.lock()) w->wake(id);
  });
  services.dav = stores.dav.get();

  net::Server server(config, tls);
  if (config.delivery.enabled) server.add_service(*worker);
  else spdlog::warn("delivery: disabled ([delivery] enabled = false); outbound mail stays queued");
  for (const auto& [protocol, address] : config.listen) {
    auto handler = make_handler(protocol, services);
    if (!handler) {
      spdlog::warn("listen.{}: this build has no {} front-end yet; not listening on {}", protocol_name(protocol),
                   protocol_name(protocol), address.to_string());
      continue;
    }
    if (auto s = server.listen(protocol, address, handler); !s) {
      spdlog::error("{}", s.error().detail);
      return 1;
    }
  }
  SandboxReport report;
  if (auto s = drop_privileges(config.run_as_user, config.data_dir, report); !s) {
    spdlog::error("{}", s.error().detail);
    return 1;
  }
  if (auto s = restrict_filesystem({config.data_dir}, readable_paths(config, *certs), report); !s) {
    spdlog::error("{}", s.error().detail);
    return 1;
  }
  if (auto s = forbid_exec(report); !s) {
    spdlog::error("{}", s.error().detail);
    return 1;
  }
  for (const auto& line : report.active) spdlog::info("sandbox: {}", line);
  for (const auto& line : report.inactive) spdlog::warn("sandbox: inactive: {}", line);
  for (const auto& [protocol, address] : server.bound_addresses()) {
    spdlog::info("listening: {} on {}", protocol_name(protocol), address);
  }

  auto reload = [&] {
    if (!config_file) {
      spdlog::info("reload: no configuration file; reloading certificates only");
    } else {
      auto next = load_config_file(*config_file);
      if (!next) {
        spdlog::error("reload failed, keeping the running configuration: {}", next.error().detail);
        return;
      }
      if (next->listen != live.get()->listen || next->data_dir != live.get()->data_dir) {
        spdlog::warn("reload: listeners and data_dir change only on restart");
      }
      (void)log::set_level(next->log_level);
      server.set_limits(next->limits);
      throttle.reconfigure(next->auth);
      live.set(*next);
    }
    if (auto s = tls->load(*certs); !s) spdlog::error("reload: {}", s.error().detail);
    else spdlog::info("reload: done");
  };
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned threads = config.threads ? config.threads : cores;
  // Blocking calls mostly wait on fsync, not CPU: more threads than cores let deliveries to different accounts
  // overlap their disk waits.
  unsigned blocking = config.blocking_threads ? config.blocking_threads : std::max(8u, cores * 8);
  spdlog::info("ready: {} I/O threads, {} blocking threads", threads, blocking);
  server.run(threads, blocking, reload);
  spdlog::info("bulwark stopped");
  return 0;
}

}  // namespace bulwark::app
