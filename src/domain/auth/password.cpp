#include "domain/auth/password.h"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace bulwark::domain::auth {
namespace {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

Status check_password(std::string_view password) {
  if (password.empty()) return fail(Errc::invalid_argument, "the password is empty");
  if (password.size() > kMaxPasswordBytes) return fail(Errc::invalid_argument, "the password is too long");
  for (char c : password) {
    if (c == '\0' || c == '\r' || c == '\n') {
      return fail(Errc::invalid_argument, "the password contains a NUL or line break");
    }
  }
  return ok();
}

}  // namespace

Result<std::string> hash_password(std::string_view password, const HashCost& cost) {
  ensure_sodium();
  if (auto status = check_password(password); !status) return tl::unexpected(status.error());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.passes,
                            static_cast<std::size_t>(cost.memory_bytes), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(Errc::internal, "argon2id hashing ran out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  ensure_sodium();
  if (password.empty() || password.size() > kMaxPasswordBytes) return false;
  if (encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  encoded_hash.copy(stored, encoded_hash.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

bool verify_dummy(std::string_view password, const HashCost& cost) {
  // A hash of a random password, made once with the configured cost, so the work matches a real account's.
  static const std::string dummy = [&] {
    unsigned char random[16];
    randombytes_buf(random, sizeof random);
    std::string secret;
    for (unsigned char b : random) secret += static_cast<char>('a' + (b % 26));
    return hash_password(secret, cost).value_or(std::string());
  }();
  (void)verify_password(dummy, password.empty() ? std::string_view("x") : password);
  return false;
}

}  // namespace bulwark::domain::auth
