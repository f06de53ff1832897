#include "protocol/dav/dav_path.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::dav {
namespace {

TEST(DavPath, ParsesTheUrlSpace) {
  auto root = parse_dav_path("/dav/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->kind, PathKind::root);
  auto principal = parse_dav_path("/dav/principals/alice%40example.org/");
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->kind, PathKind::principal);
  EXPECT_EQ(principal->user, "alice@example.org");
  auto resource = parse_dav_path("https://mail.test:8443/dav/calendars/alice@example.org/work/ev%20ent.ics");
  ASSERT_TRUE(resource);
  EXPECT_EQ(resource->kind, PathKind::resource);
  EXPECT_EQ(resource->collection_kind, store::CollectionKind::calendar);
  EXPECT_EQ(resource->collection, "work");
  EXPECT_EQ(resource->resource, "ev ent.ics");
  auto book = parse_dav_path("/dav/addressbooks/bob@example.org/contacts/");
  ASSERT_TRUE(book);
  EXPECT_EQ(book->kind, PathKind::collection);
  EXPECT_EQ(book->collection_kind, store::CollectionKind::addressbook);
}

TEST(DavPath, RefusesTraversalAndOddSegments) {
  for (const char* bad : {"/dav/calendars/alice@example.org/../bob@example.org/default/",
                          "/dav/calendars/alice@example.org/%2e%2e/x",
                          "/dav/calendars/alice@example.org/default/%2E%2E",
                          "/dav/calendars/alice@example.org/default/a%2fb",
                          "/dav/calendars/alice@example.org/default/a%5cb",
                          "/dav/calendars/alice@example.org/default/a%00b",
                          "/dav/calendars/alice@example.org/./x",
                          "/dav/calendars/alice@example.org/default/x%zz",
                          "/dav/calendars/alice@example.org/default/x%2",
                          "/dav/calendars/a/b/c/d",
                          "/dav/calendars/alice@example.org/default/x?y=1",
                          "/etc/passwd",
                          "/davx/"}) {
    EXPECT_FALSE(parse_dav_path(bad)) << bad;
  }
}

TEST(DavPath, HrefsRoundTrip) {
  auto href = resource_href(store::CollectionKind::addressbook, "alice@example.org", "my book", "a/b.vcf");
  EXPECT_EQ(href, "/dav/addressbooks/alice@example.org/my%20book/a%2Fb.vcf");
  auto back = parse_dav_path(href);
  EXPECT_FALSE(back);  // a '/' inside a segment is refused even when encoded
  auto ok = parse_dav_path(resource_href(store::CollectionKind::calendar, "alice@example.org", "my book", "x y.ics"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->collection, "my book");
  EXPECT_EQ(ok->resource, "x y.ics");
}

}  // namespace
}  // namespace bulwark::protocol::dav
