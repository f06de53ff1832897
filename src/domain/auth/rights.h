// Access rights on a mailbox, RFC 4314 2.1 (IMAP ACL). The owner holds all of them; anyone else holds only what
// the owner granted (shared mailboxes, delegation). The store checks them on every call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bulwark::domain::auth {

enum class Right : std::uint16_t {
  lookup = 1 << 0,          // l: see the mailbox in LIST
  read = 1 << 1,            // r: SELECT, FETCH, SEARCH, COPY from
  seen = 1 << 2,            // s: keep \Seen
  write = 1 << 3,           // w: other flags and keywords
  insert = 1 << 4,          // i: APPEND, COPY into
  post = 1 << 5,            // p: send mail to the submission address of the mailbox
  create = 1 << 6,          // k: create child mailboxes
  delete_mailbox = 1 << 7,  // x: delete or rename the mailbox
  delete_messages = 1 << 8, // t: set \Deleted
  expunge = 1 << 9,         // e: EXPUNGE
  administer = 1 << 10,     // a: change the ACL
};

class Rights {
 public:
  constexpr Rights() = default;
  constexpr explicit Rights(std::uint16_t bits) : bits_(bits) {}
  static constexpr Rights all() { return Rights(0x07ff); }
  constexpr bool has(Right right) const { return (bits_ & static_cast<std::uint16_t>(right)) != 0; }
  constexpr Rights with(Right right) const { return Rights(bits_ | static_cast<std::uint16_t>(right)); }
  constexpr std::uint16_t bits() const { return bits_; }
  constexpr bool empty() const { return bits_ == 0; }

  // RFC 4314 letters, e.g. "lrswipkxtea".
  std::string to_letters() const {
    constexpr std::string_view letters = "lrswipkxtea";
    std::string out;
    for (std::size_t i = 0; i < letters.size(); ++i) {
      if (bits_ & (1u << i)) out += letters[i];
    }
    return out;
  }

 private:
  std::uint16_t bits_ = 0;
};

}  // namespace bulwark::domain::auth
