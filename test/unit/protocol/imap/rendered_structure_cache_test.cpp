#include "protocol/imap/rendered_structure_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::protocol::imap {
namespace {

RenderedStructure sample(const std::string& tag) { return RenderedStructure{"(env " + tag + ")", "(body)", "(bs)"}; }

TEST(RenderedStructureCache, RendersOnceAndReturnsTheKeptStrings) {
  RenderedStructureCache cache;
  int renders = 0;
  auto render = [&] {
    ++renders;
    return sample("a");
  };
  auto first = cache.get("a", 1 << 20, render);
  auto second = cache.get("a", 1 << 20, render);
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(second->envelope, "(env a)");
  EXPECT_EQ(cache.entries(), 1u);
}

TEST(RenderedStructureCache, ZeroKeepsNothing) {
  RenderedStructureCache cache;
  int renders = 0;
  auto render = [&] {
    ++renders;
    return sample("a");
  };
  (void)cache.get("a", 0, render);
  auto again = cache.get("a", 0, render);
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(again->bodystructure, "(bs)");
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(RenderedStructureCache, LimitEvictsTheLeastRecentlyUsed) {
  RenderedStructureCache cache;
  // Measure one entry's cost, then allow room for two.
  (void)cache.get("probe", 1 << 20, [] { return sample("x"); });
  const std::size_t one = cache.bytes();
  RenderedStructureCache small;
  const std::size_t limit = 2 * one + one / 2;
  (void)small.get("a", limit, [] { return sample("a"); });
  (void)small.get("b", limit, [] { return sample("b"); });
  (void)small.get("a", limit, [] { return sample("a"); });  // a is now the most recent
  (void)small.get("c", limit, [] { return sample("c"); });  // evicts b
  EXPECT_EQ(small.entries(), 2u);
  EXPECT_LE(small.bytes(), limit);
  int renders = 0;
  (void)small.get("a", limit, [&] {
    ++renders;
    return sample("a");
  });
  EXPECT_EQ(renders, 0);  // still kept
  (void)small.get("b", limit, [&] {
    ++renders;
    return sample("b");
  });
  EXPECT_EQ(renders, 1);  // was evicted
}

TEST(RenderedStructureCache, EntryLargerThanTheLimitIsNotKept) {
  RenderedStructureCache cache;
  (void)cache.get("big", 10, [] { return sample("a"); });
  EXPECT_EQ(cache.entries(), 0u);
}

}  // namespace
}  // namespace bulwark::protocol::imap
