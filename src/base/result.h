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

// Early return on error, as Abseil's ASSIGN_OR_RETURN. Works in any function returning a Result or Status.
#define BULWARK_CONCAT_INNER(a, b) a##b
#define BULWARK_CONCAT(a, b) BULWARK_CONCAT_INNER(a, b)
#define BULWARK_TRY_ASSIGN_IMPL(tmp, lhs, expr)        \
  auto tmp = (expr);                                   \
  if (!tmp) return ::tl::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
#define BULWARK_TRY_ASSIGN(lhs, expr) BULWARK_TRY_ASSIGN_IMPL(BULWARK_CONCAT(bulwark_try_, __LINE__), lhs, expr)
#define BULWARK_TRY(expr)                                                      \
  do {                                                                         \
    auto bulwark_status_ = (expr);                                             \
    if (!bulwark_status_) return ::tl::unexpected(std::move(bulwark_status_).error()); \
  } while (0)
