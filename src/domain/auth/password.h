// Password hashing with argon2id (libsodium crypto_pwhash_str, encoded as a PHC string "$argon2id$v=19$...").
// Verification runs in constant time with respect to the password, and verify_dummy() costs the same as a real
// verification so that an unknown account cannot be told from a wrong password by timing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::domain::auth {

inline constexpr std::size_t kMaxPasswordBytes = 1024;

struct HashCost {
  std::uint64_t memory_bytes = 19ULL << 20;
  unsigned passes = 2;
};

// Fails (invalid_argument) for an empty or overlong password or one containing NUL or line breaks.
[[nodiscard]] Result<std::string> hash_password(std::string_view password, const HashCost& cost);
[[nodiscard]] bool verify_password(std::string_view encoded_hash, std::string_view password);
// Spends the time of one verification and returns false.
bool verify_dummy(std::string_view password, const HashCost& cost);

}  // namespace bulwark::domain::auth
