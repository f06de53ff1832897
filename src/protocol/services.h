// What every protocol front-end gets from the composition root (app/): the store interfaces (never a concrete
// backend), the shared login throttle and the live configuration.
#pragma once

#include "base/config_holder.h"
#include "domain/auth/login_throttle.h"
#include "store/dav_store.h"
#include "store/directory_store.h"
#include "store/mail_store.h"
#include "store/queue_store.h"

namespace bulwark::protocol {

struct Services {
  store::DirectoryStore& directory;
  store::MailStore& mail;
  store::QueueStore& queue;  // outbound and retry queue (SMTP writes, src/delivery/ reads)
  domain::auth::LoginThrottle& throttle;
  ConfigHolder& config;
  store::DavStore* dav = nullptr;  // calendars and address books (the HTTP front-end); set by app/serve
};

}  // namespace bulwark::protocol
