#include "protocol/imap/change_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace bulwark::protocol::imap {
namespace {

TEST(ChangeHub, NotifiesOnlyTheAccountsSubscribers) {
  ChangeHub hub;
  std::vector<std::int64_t> alice, bob;
  auto a = hub.subscribe(1, [&](std::int64_t id) { alice.push_back(id); });
  auto b = hub.subscribe(2, [&](std::int64_t id) { bob.push_back(id); });
  hub.mailbox_changed(1, 7);
  hub.mailbox_changed(1, 0);
  hub.mailbox_changed(3, 9);  // nobody listens
  EXPECT_EQ(alice, (std::vector<std::int64_t>{7, 0}));
  EXPECT_TRUE(bob.empty());
  EXPECT_EQ(hub.subscriber_count(), 2u);
}

TEST(ChangeHub, DestroyedSubscriptionIsNeverCalledAgain) {
  ChangeHub hub;
  int first = 0, second = 0;
  auto a = hub.subscribe(1, [&](std::int64_t) { ++first; });
  auto b = hub.subscribe(1, [&](std::int64_t) { ++second; });
  hub.mailbox_changed(1, 1);
  a.reset();
  hub.mailbox_changed(1, 1);
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
  b.reset();
  EXPECT_EQ(hub.subscriber_count(), 0u);
  hub.mailbox_changed(1, 1);
  EXPECT_EQ(second, 2);
}

TEST(ChangeHub, ConcurrentNotifyAndSubscribe) {
  ChangeHub hub;
  std::atomic<int> calls{0};
  std::thread notifier([&] {
    for (int i = 0; i < 2000; ++i) hub.mailbox_changed(1, i);
  });
  for (int i = 0; i < 200; ++i) {
    auto s = hub.subscribe(1, [&](std::int64_t) { calls.fetch_add(1, std::memory_order_relaxed); });
  }
  notifier.join();
  EXPECT_EQ(hub.subscriber_count(), 0u);
  int before = calls.load();
  hub.mailbox_changed(1, 1);
  EXPECT_EQ(calls.load(), before);
}

}  // namespace
}  // namespace bulwark::protocol::imap
