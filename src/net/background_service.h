// A long-running task the server runs beside its listeners (the outbound delivery worker): started on the
// I/O context when run() starts, asked to stop when shutdown begins. Anything it leaves unfinished must be safe
// to abandon (the queue is durable), because the server stops the I/O context after the grace period.
#pragma once

#include "net/asio.h"
#include "net/blocking.h"

namespace bulwark::net {

class BackgroundService {
 public:
  virtual ~BackgroundService() = default;
  // Spawned once on `io`; blocking calls go to `blocking`.
  virtual void start(asio::io_context& io, BlockingExecutor blocking) = 0;
  // Called on the I/O context at shutdown: stop starting new work.
  virtual void stop() = 0;
  // Called once the I/O threads have returned, while the I/O context still exists: destroy every I/O object
  // (timers, strands) kept outside coroutine frames. The service may outlive the context, and an I/O object
  // destroyed after it would touch the context's freed services.
  virtual void release_io() {}
};

}  // namespace bulwark::net
