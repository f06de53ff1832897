// What every protocol front-end gets from the composition root (app/): the store interfaces (never a concrete
// backend), the shared login throttle and the live configuration.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "base/config_holder.h"
#include "domain/auth/login_throttle.h"
#include "store/dav_store.h"
#include "store/directory_store.h"
#include "store/mail_store.h"
#include "store/queue_store.h"

namespace bulwark::protocol {

// Tells sessions of other connections that a mailbox changed (new mail, flags, expunge, rename), so IMAP IDLE
// reports it at once instead of at its next poll. Every front-end that writes mail calls mailbox_changed()
// after the write succeeded (is durable). Both calls are cheap, never block and are callable from any thread.
// Implemented by protocol/imap/change_hub.h, wired in app/serve.cpp.
class MailboxChangeNotifier {
 public:
  // Registered until destroyed; once the destructor returned, the callback is never called again.
  class Subscription {
   public:
    virtual ~Subscription() = default;
  };
  // Called with the mailbox id (0: unknown) for every change to a mailbox of `owner`, on the notifying thread,
  // while the notifier holds its lock: it must only hand the news over (e.g. asio::post) and return.
  using Callback = std::function<void(std::int64_t mailbox_id)>;

  virtual ~MailboxChangeNotifier() = default;
  // `mailbox_id` 0: some mailbox of the account (e.g. delivery to INBOX without knowing its id).
  virtual void mailbox_changed(store::AccountId owner, std::int64_t mailbox_id) = 0;
  [[nodiscard]] virtual std::unique_ptr<Subscription> subscribe(store::AccountId owner, Callback callback) = 0;
};

struct Services {
  store::DirectoryStore& directory;
  store::MailStore& mail;
  store::QueueStore& queue;  // outbound and retry queue (SMTP writes, src/delivery/ reads)
  domain::auth::LoginThrottle& throttle;
  ConfigHolder& config;
  MailboxChangeNotifier* change_notifier = nullptr;  // null: sessions only poll

  void notify_mailbox_changed(store::AccountId owner, std::int64_t mailbox_id) const {
    if (change_notifier != nullptr) change_notifier->mailbox_changed(owner, mailbox_id);
  }
  store::DavStore* dav = nullptr;  // calendars and address books (the HTTP front-end); set by app/serve
};

}  // namespace bulwark::protocol
