// Who is asking. Every store operation takes one of these, and only the store can make them:
//  - Principal: an account whose password (or other credential) the directory has verified.
//  - DeliveryTarget: the right to add one message to one account's INBOX, issued by the directory when it
//    resolved a recipient address. It grants nothing else: no reading, no listing, no other mailbox.
// Their constructors take a key that only store::DirectoryStore (and its backends, through the protected
// issue_* helpers there) can create, so a protocol cannot conjure an identity; it has to authenticate.
#pragma once

#include <cstdint>
#include <string>

namespace bulwark::store {
class DirectoryStore;
}

namespace bulwark::domain::auth {

using AccountId = std::int64_t;

class IssuerKey {
  IssuerKey() = default;
  friend class bulwark::store::DirectoryStore;
};

class Principal {
 public:
  Principal(IssuerKey, AccountId account, std::string address, std::uint64_t quota_bytes)
      : account_(account), address_(std::move(address)), quota_bytes_(quota_bytes) {}
  AccountId account_id() const { return account_; }
  // The account's primary address, as stored (A-label domain).
  const std::string& address() const { return address_; }
  // The quota when the principal was issued (0: none).
  std::uint64_t quota_bytes() const { return quota_bytes_; }

 private:
  AccountId account_;
  std::string address_;
  std::uint64_t quota_bytes_;
};

class DeliveryTarget {
 public:
  DeliveryTarget(IssuerKey, AccountId account, std::string address, std::uint64_t quota_bytes)
      : account_(account), address_(std::move(address)), quota_bytes_(quota_bytes) {}
  AccountId account_id() const { return account_; }
  const std::string& address() const { return address_; }
  std::uint64_t quota_bytes() const { return quota_bytes_; }

 private:
  AccountId account_;
  std::string address_;
  std::uint64_t quota_bytes_;
};

}  // namespace bulwark::domain::auth
