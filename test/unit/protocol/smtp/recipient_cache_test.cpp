#include "protocol/smtp/recipient_cache.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::smtp {
namespace {

RecipientCache::Answer relay() { return RecipientCache::Answer{false, std::nullopt}; }
RecipientCache::Answer unknown() { return RecipientCache::Answer{true, std::nullopt}; }

TEST(RecipientCache, AnswersOnlyUnderTheStampItWasStoredWith) {
  RecipientCache cache;
  EXPECT_FALSE(cache.find(5, "a@x.example"));
  cache.store(5, "a@x.example", unknown());
  auto hit = cache.find(5, "a@x.example");
  ASSERT_TRUE(hit);
  EXPECT_TRUE(hit->is_local);
  EXPECT_FALSE(hit->resolution);
  EXPECT_FALSE(cache.find(5, "b@x.example"));
  EXPECT_FALSE(cache.find(6, "a@x.example")) << "the directory changed: the answer is gone";
  EXPECT_FALSE(cache.find(6, "a@x.example"));
}

TEST(RecipientCache, AnAnswerComputedBeforeAChangeIsNotKept) {
  RecipientCache cache;
  EXPECT_FALSE(cache.find(7, "a@x.example"));  // another session already saw stamp 7
  cache.store(6, "a@x.example", relay());      // this answer was computed under stamp 6
  EXPECT_FALSE(cache.find(7, "a@x.example"));
  cache.store(7, "a@x.example", relay());
  EXPECT_TRUE(cache.find(7, "a@x.example"));
  EXPECT_FALSE(cache.find(6, "a@x.example")) << "a stamp older than the newest seen is not trusted";
  EXPECT_TRUE(cache.find(7, "a@x.example")) << "and does not empty the cache";
}

TEST(RecipientCache, StartsAgainEmptyWhenFull) {
  RecipientCache cache(3);
  for (int i = 0; i < 3; ++i) cache.store(1, "u" + std::to_string(i) + "@x.example", unknown());
  EXPECT_TRUE(cache.find(1, "u0@x.example"));
  cache.store(1, "u3@x.example", unknown());
  EXPECT_FALSE(cache.find(1, "u0@x.example"));
  EXPECT_TRUE(cache.find(1, "u3@x.example"));
}

TEST(RecipientCache, ZeroCapacityKeepsNothing) {
  RecipientCache cache(0);
  cache.store(1, "a@x.example", relay());
  EXPECT_FALSE(cache.find(1, "a@x.example"));
}

TEST(RecipientCache, RemoteOnlyResolutionsAreCacheable) {
  RecipientCache::Answer forward{true, store::Resolution{{}, {"someone@elsewhere.example"}}};
  EXPECT_TRUE(RecipientCache::cacheable(forward));
  RecipientCache cache;
  cache.store(2, "fwd@x.example", forward);
  auto hit = cache.find(2, "fwd@x.example");
  ASSERT_TRUE(hit && hit->resolution);
  EXPECT_EQ(hit->resolution->remote.front(), "someone@elsewhere.example");
}

}  // namespace
}  // namespace bulwark::protocol::smtp
