#include <gtest/gtest.h>

#include "store/blob_fs/fs_blob_store.h"
#include "temp_dir.h"

namespace bulwark::store::blob_fs {
namespace {

TEST(FsBlobStore, ContentAddressedRoundTrip) {
  testing::TempDir dir;
  auto store = FsBlobStore::open(dir.path()).value();
  auto id = store->put("hello").value();
  EXPECT_EQ(id, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(store->put("hello").value(), id);
  EXPECT_EQ(store->get(id).value(), "hello");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "blobs" / "2c" / id.substr(2)));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "blobs" / "tmp"));
  ASSERT_TRUE(store->remove(id));
  EXPECT_EQ(store->get(id).error().code, Errc::not_found);
}

TEST(FsBlobStore, IdsNeverBecomePaths) {
  testing::TempDir dir;
  auto store = FsBlobStore::open(dir.path()).value();
  for (const char* bad : {"../../etc/passwd", "", "ZZ", "/etc/passwd",
                          "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982/"}) {
    EXPECT_EQ(store->get(bad).error().code, Errc::invalid_argument) << bad;
    EXPECT_EQ(store->remove(bad).error().code, Errc::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace bulwark::store::blob_fs
