#include "app/admin_queue.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace bulwark::app {
namespace {

int error(const std::string& message) {
  std::fprintf(stderr, "bulwark: error: %s\n", message.c_str());
  return 1;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string utc(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<store::QueueId> parse_id(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
    return fail(Errc::invalid_argument, "queue id must be a number, got '" + text + "'");
  }
  return static_cast<store::QueueId>(std::stoll(text));
}

std::size_t pending_count(const store::QueuedMessage& m) {
  std::size_t n = 0;
  for (const auto& r : m.recipients) n += r.state == store::QueueState::pending ? 1 : 0;
  return n;
}

int list(store::QueueStore& queue) {
  auto messages = queue.list();
  if (!messages) return error(messages.error().detail);
  for (const auto& m : *messages) {
    std::string rcpts;
    for (const auto& r : m.recipients) {
      if (r.state != store::QueueState::pending) continue;
      rcpts += (rcpts.empty() ? "" : ",") + r.recipient.address;
    }
    std::printf("%lld\t%s\tsize=%llu\tfrom=<%s>\tpending=%zu\tnext=%s\tto=%s\n", static_cast<long long>(m.id),
                utc(m.created).c_str(), static_cast<unsigned long long>(m.size), m.envelope.sender.c_str(),
                pending_count(m), utc(m.next_attempt).c_str(), rcpts.c_str());
  }
  std::printf("%zu message(s) queued\n", messages->size());
  return 0;
}

int show(store::QueueStore& queue, store::QueueId id) {
  auto m = queue.get(id);
  if (!m) return error(m.error().detail);
  std::printf("id: %lld\ncreated: %s\nsize: %llu\nfrom: <%s>\n", static_cast<long long>(m->id),
              utc(m->created).c_str(), static_cast<unsigned long long>(m->size), m->envelope.sender.c_str());
  if (!m->envelope.submitted_by.empty()) std::printf("submitted_by: %s\n", m->envelope.submitted_by.c_str());
  if (!m->envelope.envid.empty()) std::printf("envid: %s\n", m->envelope.envid.c_str());
  if (!m->envelope.ret.empty()) std::printf("ret: %s\n", m->envelope.ret.c_str());
  if (m->envelope.expires) std::printf("expires: %s\n", utc(m->envelope.expires).c_str());
  std::printf("require_tls: %s\nnext_attempt: %s\n", m->envelope.require_tls ? "yes" : "no",
              utc(m->next_attempt).c_str());
  for (const auto& r : m->recipients) {
    std::printf("recipient: %s\tstate=%s\tattempts=%u", r.recipient.address.c_str(),
                std::string(store::queue_state_name(r.state)).c_str(), r.attempts);
    if (r.state == store::QueueState::pending) std::printf("\tnext=%s", utc(r.next_attempt).c_str());
    if (!r.recipient.notify.empty()) std::printf("\tnotify=%s", r.recipient.notify.c_str());
    if (!r.recipient.last_error.empty()) std::printf("\tlast_error=%s", r.recipient.last_error.c_str());
    if (!r.tls_detail.empty()) std::printf("\ttls_detail=%s", r.tls_detail.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int queue_command(store::QueueStore& queue, const AdminRequest& r) {
  if (r.action == "list") return list(queue);
  if (r.action == "retry" && r.all) {
    auto n = queue.retry(std::nullopt, now_seconds());
    if (!n) return error(n.error().detail);
    std::printf("%zu message(s) due now\n", *n);
    return 0;
  }
  if (r.name.empty()) return error("queue " + r.action + ": give a queue id" + (r.action == "retry" ? " or --all" : ""));
  auto id = parse_id(r.name);
  if (!id) return error(id.error().detail);
  if (r.action == "show") return show(queue, *id);
  if (r.action == "retry") {
    auto n = queue.retry(*id, now_seconds());
    if (!n) return error(n.error().detail);
    std::printf("message %lld due now\n", static_cast<long long>(*id));
    return 0;
  }
  if (auto s = queue.remove(*id); !s) return error(s.error().detail);
  std::printf("message %lld deleted (no bounce sent)\n", static_cast<long long>(*id));
  return 0;
}

}  // namespace bulwark::app
