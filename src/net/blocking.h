// Runs a blocking call (SQLite, argon2id, fsync) on the blocking thread pool and resumes the calling session on
// its own executor, so the I/O threads never block.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "net/asio.h"

namespace bulwark::net {

using BlockingExecutor = asio::thread_pool::executor_type;

// One post to the pool and one back to the session's executor. (It was co_spawn onto the pool, whose extra
// internal posts woke a second, idle pool thread for every call: a context switch per SMTP message at one
// session; docs/benchmarks.md, SMTP run 9.) While the call runs, the session's executor counts outstanding
// work, so its context does not finish run() under it. An exception from `f` is rethrown in the session.
template <class F>
awaitable<std::invoke_result_t<F&>> run_blocking(BlockingExecutor pool, F f) {
  using R = std::invoke_result_t<F&>;
  auto initiate = [pool](auto handler, F call) {
    auto home = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
    asio::post(pool, [handler = std::move(handler), call = std::move(call), home = std::move(home)]() mutable {
      std::exception_ptr error;
      std::optional<R> result;
      try {
        result.emplace(call());
      } catch (...) {
        error = std::current_exception();
      }
      asio::post(home, [handler = std::move(handler), error, result = std::move(result)]() mutable {
        std::move(handler)(error, std::move(result));
      });
    });
  };
  auto result = co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, std::optional<R>)>(
      std::move(initiate), asio::use_awaitable, std::move(f));
  co_return std::move(*result);
}

}  // namespace bulwark::net
