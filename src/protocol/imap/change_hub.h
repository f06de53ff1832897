// ChangeHub: the in-process MailboxChangeNotifier (protocol/services.h). A registry of callbacks per account:
// mailbox_changed() calls every callback registered for that account. IMAP sessions subscribe for the owner of
// their selected mailbox and post a wake-up to their own strand, so IDLE reports changes made by other sessions
// and by SMTP delivery at once. Writes by other processes (CLI) are still found by the IDLE fallback poll.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>

#include "protocol/services.h"

namespace bulwark::protocol::imap {

class ChangeHub final : public MailboxChangeNotifier {
 public:
  void mailbox_changed(store::AccountId owner, std::int64_t mailbox_id) override;
  [[nodiscard]] std::unique_ptr<Subscription> subscribe(store::AccountId owner, Callback callback) override;

  // For tests and metrics: callbacks currently registered.
  std::size_t subscriber_count() const;

 private:
  class Registration;
  using Callbacks = std::list<Callback>;
  void unsubscribe(store::AccountId owner, Callbacks::iterator where);

  mutable std::mutex mutex_;
  std::unordered_map<store::AccountId, Callbacks> by_account_;
};

}  // namespace bulwark::protocol::imap
