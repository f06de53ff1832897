// The IMAP search index (store/sqlite/search_index.h, search_indexer.h): a prefilter whose candidates always
// contain every true match, that never returns an expunged message, sees not-yet-indexed messages as
// candidates, and is rebuilt when deleted or corrupt. The index's text here is the raw message lower-cased (the
// store does not care what the injected SearchTextFn produces; the IMAP integration tests use the real one).
#include <fstream>
#include <random>
#include <thread>

#include "store/sqlite/search_index.h"
#include "store_fixture.h"

namespace bulwark::store {
namespace {

using sqlite::SearchIndex;

std::string lower(std::string_view raw, std::size_t max_bytes) {
  std::string out(raw.substr(0, max_bytes));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(SearchIndexText, SanitizeKeepsValidUtf8AndBlanksTheRest) {
  EXPECT_EQ(sqlite::sanitize_for_index("abc"), "abc");
  EXPECT_EQ(sqlite::sanitize_for_index("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(sqlite::sanitize_for_index("a\xC3" "b"), "a b");           // truncated sequence
  EXPECT_EQ(sqlite::sanitize_for_index("\xC3\xA9\xA9x"), "\xC3\xA9 x");  // stray continuation byte
  EXPECT_EQ(sqlite::sanitize_for_index(std::string("a\0b", 3)), "a b");
}

TEST(SearchIndexText, ServableNeedlesAreValidUtf8OfThreeCodePoints) {
  EXPECT_TRUE(sqlite::is_servable_needle("abc"));
  EXPECT_TRUE(sqlite::is_servable_needle("\xC3\xA9t\xC3\xA9"));
  EXPECT_FALSE(sqlite::is_servable_needle("ab"));
  EXPECT_FALSE(sqlite::is_servable_needle("\xC3\xA9\xC3\xA9"));  // two code points
  EXPECT_FALSE(sqlite::is_servable_needle("ab\xFF"));
  EXPECT_FALSE(sqlite::is_servable_needle(std::string("ab\0c", 4)));
}

TEST(SearchIndexText, QueryIsTheAndOfDistinctQuotedTrigrams) {
  EXPECT_EQ(sqlite::trigram_query("abcd"), "\"abc\" AND \"bcd\"");
  EXPECT_EQ(sqlite::trigram_query("aaaa"), "\"aaa\"");
  EXPECT_EQ(sqlite::trigram_query("a\"bc"), "\"a\"\"b\" AND \"\"\"bc\"");
}

// Random texts over a small alphabet with multi-byte letters, quotes, spaces and invalid bytes; every substring
// a client could ask for (valid UTF-8, 3+ code points) must find its text among the candidates.
TEST(SearchIndexText, CandidatesContainEveryTrueMatch) {
  testing::TempDir dir;
  auto index = SearchIndex::open_writer(dir.path() / "search.db", 1000).value();
  const std::vector<std::string> alphabet{"a", "b", " ", "\"", "\xC3\xA9", "\xCE\xB1", "\xE2\x82\xAC", "\xFF", "\x80",
                                          "\xC3", "*", "-"};
  std::mt19937 random(42);
  std::vector<std::pair<std::string, std::string>> docs;
  for (int d = 0; d < 200; ++d) {
    std::string text;
    const auto length = 5 + random() % 40;
    for (std::size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    docs.emplace_back("blob" + std::to_string(d), text);
  }
  ASSERT_TRUE(index.add(docs));
  int checked = 0;
  for (const auto& [id, text] : docs) {
    for (std::size_t start = 0; start < text.size(); start += 3) {
      for (std::size_t length = 3; length < 12 && start + length <= text.size(); length += 2) {
        const auto needle = text.substr(start, length);
        if (!sqlite::is_servable_needle(needle)) continue;
        auto hits = index.matching_blobs(needle);
        ASSERT_TRUE(hits) << hits.error().detail;
        for (const auto& [other, other_text] : docs) {
          if (other_text.find(needle) != std::string::npos) {
            EXPECT_TRUE(hits->contains(other)) << "needle [" << needle << "] in " << other;
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(SearchIndexText, OtherLimitOrCorruptFileIsStartedAgain) {
  testing::TempDir dir;
  const auto path = dir.path() / "search.db";
  {
    auto index = SearchIndex::open_writer(path, 1000).value();
    ASSERT_TRUE(index.add({{"x", "hello world"}}));
  }
  EXPECT_EQ(SearchIndex::open_reader(path, 1000).value().document_count().value(), 1);
  EXPECT_FALSE(SearchIndex::open_reader(path, 2000));  // built with another limit: not used...
  EXPECT_EQ(SearchIndex::open_writer(path, 2000).value().document_count().value(), 0);  // ...but rebuilt
  SearchIndex::remove_files(path);
  std::ofstream(path) << "this is not an SQLite database, and long enough to look like a header to it";
  EXPECT_FALSE(SearchIndex::open_reader(path, 2000));
  auto rebuilt = SearchIndex::open_writer(path, 2000);
  ASSERT_TRUE(rebuilt) << rebuilt.error().detail;
  EXPECT_EQ(rebuilt->document_count().value(), 0);
}

class SearchIndexStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    sqlite::SearchIndexOptions options;
    options.enabled = true;
    options.max_text_bytes = 1 << 20;
    options.batch_messages = 2;
    options.text_of = lower;
    mail_->enable_search_index(options, false);  // no thread: the test builds the index when it wants
    alice_ = std::make_unique<Principal>(login("alice@example.org"));
    bob_ = std::make_unique<Principal>(login("bob@example.org"));
    inbox_ = mailbox(*alice_, "INBOX").ref;
  }
  std::vector<std::uint32_t> candidates(std::string_view needle) {
    auto uids = mail_->search_candidates(*alice_, inbox_, needle);
    EXPECT_TRUE(uids) << uids.error().detail;
    return uids.value_or(std::vector<std::uint32_t>{});
  }
  std::filesystem::path index_file() const {
    return dir_.path() / "accounts" / std::to_string(alice_->account_id()) / "search.db";
  }
  std::unique_ptr<Principal> alice_;
  std::unique_ptr<Principal> bob_;
  MailboxRef inbox_;
};

using Uids = std::vector<std::uint32_t>;

TEST_F(SearchIndexStoreTest, IndexedMessagesAreFilteredAndNewOnesAlwaysCandidates) {
  put(*alice_, "INBOX", "Subject: one\r\n\r\nthe Quarterly report\r\n");
  put(*alice_, "INBOX", "Subject: two\r\n\r\nnothing here\r\n");
  put(*alice_, "INBOX", "Subject: three\r\n\r\nquarterly again\r\n");
  // Nothing indexed yet: the index cannot serve (no file), the caller scans.
  EXPECT_FALSE(mail_->search_candidates(*alice_, inbox_, "quarterly"));
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  EXPECT_TRUE(std::filesystem::exists(index_file()));
  EXPECT_EQ(candidates("quarterly"), (Uids{1, 3}));
  EXPECT_EQ(candidates("arterl"), (Uids{1, 3}));  // inside a word
  EXPECT_EQ(candidates("nothing"), (Uids{2}));
  EXPECT_EQ(candidates("zzzzz"), Uids{});
  // A message delivered after the build is a candidate for anything until it is indexed.
  put(*alice_, "INBOX", "Subject: four\r\n\r\nplain\r\n");
  EXPECT_EQ(candidates("quarterly"), (Uids{1, 3, 4}));
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  EXPECT_EQ(candidates("quarterly"), (Uids{1, 3}));
  EXPECT_EQ(candidates("plain"), (Uids{4}));
}

TEST_F(SearchIndexStoreTest, ExpungedMessagesAreNeverCandidates) {
  put(*alice_, "INBOX", "quarterly one");
  put(*alice_, "INBOX", "quarterly two");
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  std::vector<std::uint32_t> first{1};
  ASSERT_TRUE(mail_->update_flags(*alice_, inbox_, first, FlagOp::add, {"\\Deleted"}, {}, nullptr));
  ASSERT_TRUE(mail_->expunge(*alice_, inbox_, std::nullopt));
  EXPECT_EQ(candidates("quarterly"), (Uids{2}));
  // The indexer forgets the expunged body on its next run (its entry is no longer used by any message).
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  EXPECT_EQ(SearchIndex::open_reader(index_file(), 1 << 20).value().document_count().value(), 1);
  EXPECT_EQ(candidates("quarterly"), (Uids{2}));
}

TEST_F(SearchIndexStoreTest, CopiedMessagesShareTheirEntry) {
  put(*alice_, "INBOX", "quarterly one");
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  auto archive = mailbox(*alice_, "Archive").ref;
  std::vector<std::uint32_t> one{1};
  ASSERT_TRUE(mail_->copy(*alice_, inbox_, one, archive));
  auto uids = mail_->search_candidates(*alice_, archive, "quarterly");
  ASSERT_TRUE(uids);
  EXPECT_EQ(*uids, (Uids{1}));
  EXPECT_EQ(mail_->search_candidates(*alice_, archive, "other").value(), Uids{});
}

TEST_F(SearchIndexStoreTest, DeletedOrCorruptIndexIsRebuilt) {
  put(*alice_, "INBOX", "quarterly one");
  put(*alice_, "INBOX", "monthly two");
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  SearchIndex::remove_files(index_file());
  EXPECT_FALSE(mail_->search_candidates(*alice_, inbox_, "quarterly"));  // the caller scans
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  EXPECT_EQ(candidates("quarterly"), (Uids{1}));
  SearchIndex::remove_files(index_file());
  std::ofstream(index_file()) << "garbage garbage garbage garbage garbage garbage garbage garbage garbage";
  EXPECT_FALSE(mail_->search_candidates(*alice_, inbox_, "quarterly"));
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  EXPECT_EQ(candidates("monthly"), (Uids{2}));
}

TEST_F(SearchIndexStoreTest, RightsAreCheckedAndShortTextIsNotServed) {
  put(*alice_, "INBOX", "quarterly one");
  ASSERT_TRUE(mail_->build_search_index(alice_->account_id()));
  auto denied = mail_->search_candidates(*bob_, inbox_, "quarterly");
  ASSERT_FALSE(denied);
  EXPECT_NE(denied.error().code, Errc::unavailable);  // refused, not "scan instead"
  auto short_text = mail_->search_candidates(*alice_, inbox_, "qu");
  ASSERT_FALSE(short_text);
  EXPECT_EQ(short_text.error().code, Errc::unavailable);
}

TEST_F(SearchIndexStoreTest, BackgroundIndexerCatchesUpAfterDelivery) {
  // A store with the thread allowed: a delivery wakes it, and it indexes without anyone calling build.
  std::shared_ptr<BlobStore> blobs = std::move(blob_fs::FsBlobStore::open(dir_.path()).value());
  sqlite::SqliteMailStore store(dir_.path(), blobs);
  sqlite::SearchIndexOptions options;
  options.enabled = true;
  options.max_text_bytes = 1 << 20;
  options.text_of = lower;
  store.enable_search_index(options, true);
  auto results = store.deliver_message(std::vector<DeliveryTarget>{target("alice@example.org")},
                                       "Subject: x\r\n\r\nquarterly\r\n", NewMessage{});
  ASSERT_TRUE(results.at(0));
  Result<std::vector<std::uint32_t>> uids = fail(Errc::unavailable);
  for (int i = 0; i < 400 && !(uids && uids->empty()); ++i) {  // wait until indexed (at most 20 s)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    uids = store.search_candidates(*alice_, inbox_, "monthly");
  }
  ASSERT_TRUE(uids);
  EXPECT_EQ(*uids, Uids{});
  EXPECT_EQ(store.search_candidates(*alice_, inbox_, "quarterly").value(), (Uids{1}));
  // The next delivery is indexed by itself (no full pass: the first one was just done).
  auto second = store.deliver_message(std::vector<DeliveryTarget>{target("alice@example.org")},
                                      "Subject: y\r\n\r\nmonthly\r\n", NewMessage{});
  ASSERT_TRUE(second.at(0));
  EXPECT_EQ(store.search_candidates(*alice_, inbox_, "monthly").value(), (Uids{2}));  // not indexed yet: a candidate
  uids = store.search_candidates(*alice_, inbox_, "quarterly");
  for (int i = 0; i < 400 && !(uids && *uids == Uids{1}); ++i) {  // until the second one is indexed
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    uids = store.search_candidates(*alice_, inbox_, "quarterly");
  }
  ASSERT_TRUE(uids);
  EXPECT_EQ(*uids, Uids{1});
  EXPECT_EQ(store.search_candidates(*alice_, inbox_, "monthly").value(), (Uids{2}));
  EXPECT_EQ(store.search_candidates(*alice_, inbox_, "quarterly").value(), (Uids{1}));
}

}  // namespace
}  // namespace bulwark::store
