// `bulwark queue list|show ID|retry ID|--all|delete ID`: the outbound queue seen and steered by an admin, whether
// or not the server runs (the worker re-reads the queue on every poll, so a retry is picked up within
// [delivery] poll_interval). Returns the process exit status.
#pragma once

#include "app/admin_commands.h"
#include "store/queue_store.h"

namespace bulwark::app {

int queue_command(store::QueueStore& queue, const AdminRequest& request);

}  // namespace bulwark::app
