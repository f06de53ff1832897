#include "protocol/imap/change_hub.h"

namespace bulwark::protocol::imap {

class ChangeHub::Registration final : public MailboxChangeNotifier::Subscription {
 public:
  Registration(ChangeHub& hub, store::AccountId owner, Callbacks::iterator where)
      : hub_(hub), owner_(owner), where_(where) {}
  ~Registration() override { hub_.unsubscribe(owner_, where_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  ChangeHub& hub_;
  store::AccountId owner_;
  Callbacks::iterator where_;
};

void ChangeHub::mailbox_changed(store::AccountId owner, std::int64_t mailbox_id) {
  std::lock_guard lock(mutex_);
  auto it = by_account_.find(owner);
  if (it == by_account_.end()) return;
  for (const auto& callback : it->second) callback(mailbox_id);
}

std::unique_ptr<MailboxChangeNotifier::Subscription> ChangeHub::subscribe(store::AccountId owner, Callback callback) {
  std::lock_guard lock(mutex_);
  auto& callbacks = by_account_[owner];
  auto where = callbacks.insert(callbacks.end(), std::move(callback));
  return std::make_unique<Registration>(*this, owner, where);
}

void ChangeHub::unsubscribe(store::AccountId owner, Callbacks::iterator where) {
  std::lock_guard lock(mutex_);
  auto it = by_account_.find(owner);
  if (it == by_account_.end()) return;
  it->second.erase(where);
  if (it->second.empty()) by_account_.erase(it);
}

std::size_t ChangeHub::subscriber_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [owner, callbacks] : by_account_) n += callbacks.size();
  return n;
}

}  // namespace bulwark::protocol::imap
