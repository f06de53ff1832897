// The SQLite DavStore: default collections, ETags and conditions, UID uniqueness, sync tokens with tombstones,
// and authorization at the store (another account sees nothing without a grant).
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_dav_store.h"
#include "store_fixture.h"

namespace bulwark::store {
namespace {

class DavStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    dav_ = std::make_unique<sqlite::SqliteDavStore>(dir_.path());
  }
  CollectionInfo calendar(const Principal& who) {
    return dav_->find_collection(who, who.account_id(), CollectionKind::calendar, kDefaultCalendar).value();
  }
  NewResource event(std::string name, std::string uid) {
    NewResource r;
    r.name = std::move(name);
    r.uid = std::move(uid);
    r.component = "VEVENT";
    r.content = "BEGIN:VCALENDAR...";
    r.start = 100;
    r.end = 200;
    return r;
  }
  std::unique_ptr<sqlite::SqliteDavStore> dav_;
};

TEST_F(DavStoreTest, ProvisionsDefaultCollections) {
  auto alice = login("alice@example.org");
  ASSERT_TRUE(dav_->provision(alice));
  ASSERT_TRUE(dav_->provision(alice));  // idempotent
  auto calendars = dav_->list_collections(alice, alice.account_id(), CollectionKind::calendar).value();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(calendars[0].name, kDefaultCalendar);
  EXPECT_EQ(calendars[0].components, "VEVENT,VTODO");
  auto books = dav_->list_collections(alice, alice.account_id(), CollectionKind::addressbook).value();
  ASSERT_EQ(books.size(), 1u);
  EXPECT_EQ(books[0].name, kDefaultAddressBook);
}

TEST_F(DavStoreTest, PutGetDeleteWithConditions) {
  auto alice = login("alice@example.org");
  auto cal = calendar(alice);
  WriteCondition create_only;
  create_only.if_none_match_any = true;
  auto created = dav_->put_resource(alice, cal.ref, event("a.ics", "uid-a"), create_only).value();
  EXPECT_EQ(created.outcome, WriteOutcome::created);
  EXPECT_EQ(dav_->put_resource(alice, cal.ref, event("a.ics", "uid-a"), create_only).value().outcome,
            WriteOutcome::precondition_failed);
  WriteCondition stale;
  stale.if_match = "\"nope\"";
  EXPECT_EQ(dav_->put_resource(alice, cal.ref, event("a.ics", "uid-a"), stale).value().outcome,
            WriteOutcome::precondition_failed);
  WriteCondition current;
  current.if_match = created.etag;
  auto updated = dav_->put_resource(alice, cal.ref, event("a.ics", "uid-a"), current).value();
  EXPECT_EQ(updated.outcome, WriteOutcome::updated);
  EXPECT_NE(updated.etag, created.etag);
  EXPECT_EQ(dav_->get_resource(alice, cal.ref, "a.ics").value().etag, updated.etag);
  auto clash = dav_->put_resource(alice, cal.ref, event("b.ics", "uid-a"), {}).value();
  EXPECT_EQ(clash.outcome, WriteOutcome::uid_conflict);
  EXPECT_EQ(clash.conflicting_name, "a.ics");
  EXPECT_EQ(dav_->delete_resource(alice, cal.ref, "a.ics", current).value(), WriteOutcome::precondition_failed);
  EXPECT_EQ(dav_->delete_resource(alice, cal.ref, "a.ics", {}).value(), WriteOutcome::updated);
  EXPECT_EQ(dav_->get_resource(alice, cal.ref, "a.ics").error().code, Errc::not_found);
}

TEST_F(DavStoreTest, SyncTokensReportChangesAndTombstones) {
  auto alice = login("alice@example.org");
  auto cal = calendar(alice);
  ASSERT_TRUE(dav_->put_resource(alice, cal.ref, event("a.ics", "a"), {}));
  ASSERT_TRUE(dav_->put_resource(alice, cal.ref, event("b.ics", "b"), {}));
  auto first = dav_->changes_since(alice, cal.ref, 0).value();
  EXPECT_EQ(first.changed.size(), 2u);
  ASSERT_TRUE(dav_->delete_resource(alice, cal.ref, "a.ics", {}));
  ASSERT_TRUE(dav_->put_resource(alice, cal.ref, event("c.ics", "c"), {}));
  auto next = dav_->changes_since(alice, cal.ref, first.sync_seq).value();
  ASSERT_EQ(next.changed.size(), 1u);
  EXPECT_EQ(next.changed[0].name, "c.ics");
  ASSERT_EQ(next.removed.size(), 1u);
  EXPECT_EQ(next.removed[0], "a.ics");
  EXPECT_GT(next.sync_seq, first.sync_seq);
  EXPECT_EQ(dav_->changes_since(alice, cal.ref, next.sync_seq + 5).error().code, Errc::invalid_argument);
}

TEST_F(DavStoreTest, TimeRangePreFilter) {
  auto alice = login("alice@example.org");
  auto cal = calendar(alice);
  ASSERT_TRUE(dav_->put_resource(alice, cal.ref, event("a.ics", "a"), {}));  // [100, 200)
  EXPECT_EQ(dav_->resources_overlapping(alice, cal.ref, "VEVENT", 150, 160, false).value().size(), 1u);
  EXPECT_EQ(dav_->resources_overlapping(alice, cal.ref, "VEVENT", 200, 300, false).value().size(), 0u);
  EXPECT_EQ(dav_->resources_overlapping(alice, cal.ref, "VTODO", 0, 300, false).value().size(), 0u);
}

TEST_F(DavStoreTest, OtherAccountsSeeNothingWithoutAGrant) {
  auto alice = login("alice@example.org");
  auto bob = login("bob@example.org");
  auto cal = calendar(alice);
  ASSERT_TRUE(dav_->put_resource(alice, cal.ref, event("a.ics", "a"), {}));
  EXPECT_EQ(dav_->find_collection(bob, alice.account_id(), CollectionKind::calendar, kDefaultCalendar).error().code,
            Errc::not_found);
  EXPECT_TRUE(dav_->list_collections(bob, alice.account_id(), CollectionKind::calendar).value().empty());
  EXPECT_EQ(dav_->get_resource(bob, cal.ref, "a.ics").error().code, Errc::not_found);
  EXPECT_EQ(dav_->put_resource(bob, cal.ref, event("x.ics", "x"), {}).error().code, Errc::not_found);
  EXPECT_EQ(dav_->delete_resource(bob, cal.ref, "a.ics", {}).error().code, Errc::not_found);
  EXPECT_EQ(dav_->create_collection(bob, alice.account_id(), CollectionKind::calendar, "evil", {}).error().code,
            Errc::permission_denied);
  EXPECT_EQ(dav_->set_rights(bob, cal.ref, bob.account_id(), DavRights::all()).error().code, Errc::permission_denied);

  // Read grant: bob reads but cannot write or delete the calendar.
  ASSERT_TRUE(dav_->set_rights(alice, cal.ref, bob.account_id(), DavRights{true, false}));
  EXPECT_EQ(dav_->get_resource(bob, cal.ref, "a.ics").value().uid, "a");
  EXPECT_EQ(dav_->put_resource(bob, cal.ref, event("x.ics", "x"), {}).error().code, Errc::permission_denied);
  EXPECT_EQ(dav_->delete_collection(bob, cal.ref).error().code, Errc::permission_denied);
  // Write grant.
  ASSERT_TRUE(dav_->set_rights(alice, cal.ref, bob.account_id(), DavRights{true, true}));
  EXPECT_EQ(dav_->put_resource(bob, cal.ref, event("x.ics", "x"), {}).value().outcome, WriteOutcome::created);
  // Revoked.
  ASSERT_TRUE(dav_->set_rights(alice, cal.ref, bob.account_id(), DavRights{}));
  EXPECT_EQ(dav_->get_resource(bob, cal.ref, "a.ics").error().code, Errc::not_found);
}

TEST_F(DavStoreTest, AnotherAccountNeverCreatesStorage) {
  auto bob = login("bob@example.org");
  auto alice = login("alice@example.org");
  // alice never used DAV: bob's look-up must not create her database.
  EXPECT_EQ(dav_->find_collection(bob, alice.account_id(), CollectionKind::calendar, kDefaultCalendar).error().code,
            Errc::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "accounts" / std::to_string(alice.account_id()) / "dav.db"));
}

TEST_F(DavStoreTest, CollectionsAndMove) {
  auto alice = login("alice@example.org");
  CollectionProps props;
  props.display_name = "Work";
  props.color = "#ff0000";
  auto work = dav_->create_collection(alice, alice.account_id(), CollectionKind::calendar, "work", props).value();
  EXPECT_EQ(work.display_name, "Work");
  EXPECT_EQ(dav_->create_collection(alice, alice.account_id(), CollectionKind::calendar, "work", {}).error().code,
            Errc::already_exists);
  CollectionProps rename;
  rename.display_name = "Office";
  ASSERT_TRUE(dav_->update_collection(alice, work.ref, rename));
  auto cal = calendar(alice);
  ASSERT_TRUE(dav_->put_resource(alice, cal.ref, event("a.ics", "a"), {}));
  auto moved = dav_->move_resource(alice, cal.ref, "a.ics", work.ref, "b.ics", false).value();
  EXPECT_EQ(moved.outcome, WriteOutcome::created);
  EXPECT_EQ(dav_->get_resource(alice, work.ref, "b.ics").value().uid, "a");
  EXPECT_EQ(dav_->get_resource(alice, cal.ref, "a.ics").error().code, Errc::not_found);
  ASSERT_TRUE(dav_->delete_collection(alice, work.ref));
  EXPECT_EQ(dav_->list_collections(alice, alice.account_id(), CollectionKind::calendar).value().size(), 1u);
}

}  // namespace
}  // namespace bulwark::store

namespace bulwark::store {
namespace {

class DavSchedulingTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    dav_ = std::make_unique<sqlite::SqliteDavStore>(dir_.path());
  }
  static SchedulingMessage message(std::string uid, std::string inbox_name, SchedulingApply apply) {
    SchedulingMessage m;
    m.uid = uid;
    m.inbox_item.name = inbox_name;
    m.inbox_item.uid = inbox_name;
    m.inbox_item.component = "VEVENT";
    m.inbox_item.content = "METHOD:REQUEST " + uid;
    m.apply = std::move(apply);
    return m;
  }
  static SchedulingApply put_as(std::string content, std::string* seen = nullptr) {
    return [content, seen](const std::optional<ResourceInfo>& current) -> Result<CalendarChange> {
      if (seen) *seen = current ? current->content : "(none)";
      CalendarChange change;
      change.action = CalendarChange::Action::put;
      change.resource.name = "scheduled.ics";
      change.resource.uid = "u1";
      change.resource.component = "VEVENT";
      change.resource.content = content;
      change.resource.start = 100;
      change.resource.end = 200;
      return change;
    };
  }
  std::unique_ptr<sqlite::SqliteDavStore> dav_;
};

TEST_F(DavSchedulingTest, DeliversIntoInboxAndDefaultCalendarThroughADeliveryTarget) {
  // Bob never used DAV: the delivery creates his storage, as his first access would.
  auto delivered = dav_->deliver_scheduling_message(target("bob@example.org"), message("u1", "m1.ics", put_as("v1")));
  ASSERT_TRUE(delivered) << delivered.error().detail;
  EXPECT_TRUE(delivered->calendar_changed);
  auto bob = login("bob@example.org");
  auto inbox = dav_->find_collection(bob, bob.account_id(), CollectionKind::calendar, kScheduleInbox).value();
  auto items = dav_->list_resources(bob, inbox.ref, true).value();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].content, "METHOD:REQUEST u1");
  auto cal = dav_->find_collection(bob, bob.account_id(), CollectionKind::calendar, kDefaultCalendar).value();
  EXPECT_EQ(dav_->get_resource(bob, cal.ref, "scheduled.ics").value().content, "v1");
  // The inbox is not listed among the calendars.
  EXPECT_EQ(dav_->list_collections(bob, bob.account_id(), CollectionKind::calendar).value().size(), 1u);

  // A second message with the same UID: a new inbox item, and the existing object is handed to `apply`.
  std::string seen;
  ASSERT_TRUE(dav_->deliver_scheduling_message(target("bob@example.org"), message("u1", "m2.ics", put_as("v2", &seen))));
  EXPECT_EQ(seen, "v1");
  EXPECT_EQ(dav_->list_resources(bob, inbox.ref, false).value().size(), 2u);
  EXPECT_EQ(dav_->get_resource(bob, cal.ref, "scheduled.ics").value().content, "v2");

  // Without `apply` the message only waits in the inbox.
  auto waiting = dav_->deliver_scheduling_message(target("bob@example.org"), message("u9", "m3.ics", nullptr));
  ASSERT_TRUE(waiting);
  EXPECT_FALSE(waiting->calendar_changed);
  EXPECT_EQ(dav_->list_resources(bob, cal.ref, false).value().size(), 1u);

  // An `apply` that fails leaves nothing behind, not even the inbox item.
  SchedulingApply broken = [](const std::optional<ResourceInfo>&) -> Result<CalendarChange> {
    return fail(Errc::invalid_syntax, "bad");
  };
  EXPECT_FALSE(dav_->deliver_scheduling_message(target("bob@example.org"), message("u1", "m4.ics", broken)));
  EXPECT_EQ(dav_->list_resources(bob, inbox.ref, false).value().size(), 3u);
}

TEST_F(DavSchedulingTest, FreeBusyReturnsOnlyWhatTheReducerMakesOfTheOwnersCalendars) {
  auto alice = login("alice@example.org");
  auto bob = login("bob@example.org");
  // Nothing stored yet: free.
  EXPECT_TRUE(dav_->free_busy(alice, bob.account_id(), 0, 1000, {}).value().empty());
  ASSERT_TRUE(dav_->provision(bob));
  auto cal = dav_->find_collection(bob, bob.account_id(), CollectionKind::calendar, kDefaultCalendar).value();
  NewResource in_range{"a.ics", "a", "VEVENT", "busy-a", 100, 200, false};
  NewResource outside{"b.ics", "b", "VEVENT", "busy-b", 5000, 6000, false};
  ASSERT_TRUE(dav_->put_resource(bob, cal.ref, in_range, {}));
  ASSERT_TRUE(dav_->put_resource(bob, cal.ref, outside, {}));
  ASSERT_TRUE(dav_->deliver_scheduling_message(target("bob@example.org"), message("u1", "m1.ics", nullptr)));
  std::vector<std::string> reduced;
  BusyReducer reduce = [&](std::string_view content) {
    reduced.emplace_back(content);
    return BusyPeriods{{100, 200}};
  };
  auto busy = dav_->free_busy(alice, bob.account_id(), 0, 1000, reduce).value();
  EXPECT_EQ(busy, (BusyPeriods{{100, 200}}));
  EXPECT_EQ(reduced, std::vector<std::string>{"busy-a"});  // not the other event, not the inbox
}

}  // namespace
}  // namespace bulwark::store
