// Runs a blocking call (SQLite, argon2id, fsync) on the blocking thread pool and resumes the calling session on
// its own executor, so the I/O threads never block.
#pragma once

#include <optional>
#include <type_traits>

#include "net/asio.h"

namespace bulwark::net {

using BlockingExecutor = asio::thread_pool::executor_type;

namespace detail {
// A named coroutine with a by-value parameter (no lambda coroutine whose captures could dangle). The result is
// wrapped in optional because co_spawn needs a default-constructible result type.
template <class F>
awaitable<std::optional<std::invoke_result_t<F&>>> call_on_pool(F f) {
  co_return std::optional<std::invoke_result_t<F&>>(f());
}
}  // namespace detail

template <class F>
awaitable<std::invoke_result_t<F&>> run_blocking(BlockingExecutor pool, F f) {
  auto result = co_await asio::co_spawn(pool, detail::call_on_pool(std::move(f)), asio::use_awaitable);
  co_return std::move(*result);
}

}  // namespace bulwark::net
