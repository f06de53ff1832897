// A directory and mail store in a temporary data_dir, with alice and bob authenticated the real way.
#pragma once

#include <gtest/gtest.h>

#include "store/blob_fs/fs_blob_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "store/sqlite/sqlite_mail_store.h"
#include "temp_dir.h"

namespace bulwark::store {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    DirectoryPolicy policy;
    policy.hash_cost = {64 * 1024, 1};
    directory_ = std::move(sqlite::SqliteDirectory::open(dir_.path(), policy).value());
    std::shared_ptr<BlobStore> blobs = std::move(blob_fs::FsBlobStore::open(dir_.path()).value());
    mail_ = std::make_unique<sqlite::SqliteMailStore>(dir_.path(), blobs);
    ASSERT_TRUE(directory_->add_domain("example.org"));
    for (const char* user : {"alice@example.org", "bob@example.org"}) {
      auto principal = directory_->create_account({user, "pw", "", 0});
      ASSERT_TRUE(principal);
      ASSERT_TRUE(mail_->provision(*principal));
    }
  }
  Principal login(const std::string& address) { return directory_->authenticate(address, "pw").value(); }
  DeliveryTarget target(const std::string& address) { return directory_->resolve(address).value().local.at(0); }
  MailboxInfo mailbox(const Principal& who, const std::string& name) {
    return mail_->find_mailbox(who, who.account_id(), name).value();
  }
  Appended put(const Principal& who, const std::string& mailbox_name, const std::string& content,
               std::vector<std::string> flags = {}) {
    auto blob = mail_->store_blob(content).value();
    return mail_->append(who, mailbox(who, mailbox_name).ref, blob, NewMessage{std::move(flags), 0, ""}).value();
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteDirectory> directory_;
  std::unique_ptr<sqlite::SqliteMailStore> mail_;
};

}  // namespace bulwark::store
