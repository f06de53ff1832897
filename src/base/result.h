// Result<T>: the return type of every parser and store call. Expected failures (bad input, missing data,
// refused access) are values, never exceptions; exceptions are for programming errors and start-up only.
// The error codes are the one small set every protocol maps to its wire codes in one file of its own
// (IMAP response codes, SMTP enhanced status codes, HTTP status).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace bulwark {

enum class Errc {
  not_found,
  already_exists,
  permission_denied,
  quota_exceeded,
  too_big,
  invalid_syntax,
  invalid_argument,
  temporary_failure,
  unavailable,
  internal,
};

std::string_view errc_name(Errc code) noexcept;

struct Error {
  Errc code = Errc::internal;
  // Human-readable detail. For invalid_syntax/invalid_argument it is written for the client or admin;
  // for internal/temporary_failure it is for the log only and protocols must not echo it.
  std::string detail;
};

template <class T>
using Result = tl::expected<T, Error>;

// Status: a Result that carries no value.
using Status = tl::expected<void, Error>;

[[nodiscard]] inline tl::unexpected<Error> fail(Errc code, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(detail)});
}

[[nodiscard]] inline Status ok() { return {}; }

}  // namespace bulwark
