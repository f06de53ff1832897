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
};

}  // namespace bulwark::net
