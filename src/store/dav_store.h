// An account's calendars and address books (CalDAV RFC 4791, CardDAV RFC 6352): collections of resources, each
// resource one iCalendar or vCard object with its UID, ETag and, for calendars, the time range it covers.
// Every call takes the principal asking and the store checks its rights on the collection: the owner may do
// everything, anyone else only what the owner granted (set_rights). A collection the principal may not read is
// reported not_found, so its existence does not leak. Each collection keeps a sync sequence that grows with
// every change, with tombstones for removed resources (RFC 6578 sync-collection, getctag).
// Backends: store/sqlite (one dav.db per account, beside mail.db).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "domain/auth/principal.h"

namespace bulwark::store {

using domain::auth::AccountId;
using domain::auth::DeliveryTarget;
using domain::auth::Principal;

enum class CollectionKind { calendar = 1, addressbook = 2 };

// What a principal may do with a collection. The owner holds all; a grantee what it was given.
struct DavRights {
  bool read = false;   // list and fetch resources, read properties
  bool write = false;  // create, change and delete resources, change properties
  static DavRights all() { return {true, true}; }
  bool operator==(const DavRights&) const = default;
};

struct CollectionRef {
  AccountId owner = 0;
  std::int64_t id = 0;
  bool operator==(const CollectionRef&) const = default;
};

// Properties a client may set (PROPPATCH, extended MKCOL, MKCALENDAR). Unset members stay as they are.
struct CollectionProps {
  std::optional<std::string> display_name;
  std::optional<std::string> description;
  std::optional<std::string> color;       // Apple calendar-color, "#rrggbb"
  std::optional<std::string> components;  // calendars: "VEVENT,VTODO" (supported-calendar-component-set)
};

struct CollectionInfo {
  CollectionRef ref;
  CollectionKind kind = CollectionKind::calendar;
  std::string name;  // the URL segment
  std::string display_name;
  std::string description;
  std::string color;
  std::string components;
  std::uint64_t sync_seq = 0;  // grows with every change: getctag and the sync-token
  DavRights rights;            // what the asking principal may do here
};

// Time bounds in seconds since the epoch (UTC); an event without end or with an unbounded rule reaches kForever.
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

struct ResourceInfo {
  std::string name;       // the URL segment
  std::string uid;        // iCalendar / vCard UID
  std::string etag;       // quoted, strong
  std::string component;  // VEVENT, VTODO, VJOURNAL, VCARD
  std::int64_t start = kNever;   // the span the object's occurrences cover (calendar time-range pre-filter)
  std::int64_t end = kForever;
  bool is_recurring = false;
  std::uint64_t modseq = 0;
  std::string content;  // filled only when asked for
};

struct NewResource {
  std::string name;
  std::string uid;
  std::string component;
  std::string content;
  std::int64_t start = kNever;
  std::int64_t end = kForever;
  bool is_recurring = false;
};

// HTTP conditional request headers (RFC 9110 13.1.1, 13.1.2) applied atomically with the write.
struct WriteCondition {
  std::optional<std::string> if_match;  // the current ETag must equal this ("*": must exist)
  bool if_none_match_any = false;       // If-None-Match: *: must not exist
};

enum class WriteOutcome { created, updated, precondition_failed, uid_conflict };

struct PutResult {
  WriteOutcome outcome = WriteOutcome::created;
  std::string etag;  // created / updated: the new ETag
  std::string conflicting_name;  // uid_conflict: the resource that already has this UID
};

struct SyncChanges {
  std::uint64_t sync_seq = 0;              // the collection's sequence now (the new sync-token)
  std::vector<ResourceInfo> changed;       // created or modified after `since`, without content
  std::vector<std::string> removed;        // names deleted after `since`
};

// --- scheduling (RFC 6638) ---
// What a scheduling message does to the recipient's calendar object with its UID (found in any of its calendars,
// or absent): nothing, write `resource` (in place of the current one, else into the default calendar), or remove.
struct CalendarChange {
  enum class Action { keep, put, remove };
  Action action = Action::keep;
  NewResource resource;
};
// Decides the change from the current object (content filled). Runs inside the recipient's transaction: it must
// only compute (no store calls).
using SchedulingApply = std::function<Result<CalendarChange>(const std::optional<ResourceInfo>& current)>;

struct SchedulingMessage {
  std::string uid;         // the iCalendar UID the message is about
  NewResource inbox_item;  // the iTIP message as stored in the schedule inbox (name unique; uid = name)
  SchedulingApply apply;   // empty: the message only waits in the inbox for the user
};

struct SchedulingOutcome {
  bool calendar_changed = false;
};

using BusyPeriods = std::vector<std::pair<std::int64_t, std::int64_t>>;
// Turns one calendar object into its busy periods (expansion, TRANSP, STATUS) within the asked range.
using BusyReducer = std::function<BusyPeriods(std::string_view content)>;

class DavStore {
 public:
  virtual ~DavStore() = default;

  // --- collections ---
  // The collections of `owner` of this kind that the principal may read (not the schedule inbox: clients find
  // it through schedule-inbox-URL, and one that does not speak scheduling would show it as a calendar).
  [[nodiscard]] virtual Result<std::vector<CollectionInfo>> list_collections(const Principal& who, AccountId owner,
                                                                             CollectionKind kind) = 0;
  [[nodiscard]] virtual Result<CollectionInfo> find_collection(const Principal& who, AccountId owner,
                                                               CollectionKind kind, std::string_view name) = 0;
  // Only the owner creates collections in its home; already_exists when the name is taken.
  [[nodiscard]] virtual Result<CollectionInfo> create_collection(const Principal& who, AccountId owner,
                                                                 CollectionKind kind, std::string_view name,
                                                                 const CollectionProps& props) = 0;
  [[nodiscard]] virtual Status update_collection(const Principal& who, CollectionRef ref,
                                                 const CollectionProps& props) = 0;
  // Only the owner deletes a collection (with its resources).
  [[nodiscard]] virtual Status delete_collection(const Principal& who, CollectionRef ref) = 0;
  // The owner grants `grantee` rights on a collection; empty rights revoke.
  [[nodiscard]] virtual Status set_rights(const Principal& who, CollectionRef ref, AccountId grantee,
                                          DavRights rights) = 0;

  // --- resources (read right) ---
  [[nodiscard]] virtual Result<std::vector<ResourceInfo>> list_resources(const Principal& who, CollectionRef ref,
                                                                         bool with_content) = 0;
  // Resources of `component` (empty: any) whose span overlaps [start, end): a pre-filter, callers check
  // recurring ones exactly.
  [[nodiscard]] virtual Result<std::vector<ResourceInfo>> resources_overlapping(const Principal& who,
                                                                                CollectionRef ref,
                                                                                std::string_view component,
                                                                                std::int64_t start, std::int64_t end,
                                                                                bool with_content) = 0;
  // The named resources that exist (missing names are left out).
  [[nodiscard]] virtual Result<std::vector<ResourceInfo>> get_resources(const Principal& who, CollectionRef ref,
                                                                        const std::vector<std::string>& names,
                                                                        bool with_content) = 0;
  [[nodiscard]] virtual Result<ResourceInfo> get_resource(const Principal& who, CollectionRef ref,
                                                          std::string_view name) = 0;
  [[nodiscard]] virtual Result<SyncChanges> changes_since(const Principal& who, CollectionRef ref,
                                                          std::uint64_t since) = 0;

  // --- resources (write right) ---
  [[nodiscard]] virtual Result<PutResult> put_resource(const Principal& who, CollectionRef ref,
                                                       const NewResource& resource, const WriteCondition& condition) = 0;
  // precondition_failed or updated (deleted); not_found when absent.
  [[nodiscard]] virtual Result<WriteOutcome> delete_resource(const Principal& who, CollectionRef ref,
                                                             std::string_view name,
                                                             const WriteCondition& condition) = 0;
  // Write right on both. `overwrite` false and the target exists: precondition_failed.
  [[nodiscard]] virtual Result<PutResult> move_resource(const Principal& who, CollectionRef from,
                                                        std::string_view name, CollectionRef to,
                                                        std::string_view new_name, bool overwrite) = 0;

  // Creates the account's DAV storage with a default calendar ("default") and address book ("contacts") if
  // missing. Idempotent. Called when an account is created and on the owner's first DAV access.
  [[nodiscard]] virtual Status provision(const Principal& who) = 0;

  // --- scheduling (RFC 6638) ---
  // The scheduling system delivers an iTIP message to a local calendar user: into its schedule inbox, and, when
  // `apply` is set, onto its calendar object with that UID, in one transaction. The right to do so is the
  // DeliveryTarget the directory issued for the recipient address (as for mail): it does not let the sender
  // read or list anything of the recipient, and the sender's Principal never reaches the recipient's store.
  // Creates the recipient's DAV storage (with its default calendar) when missing.
  [[nodiscard]] virtual Result<SchedulingOutcome> deliver_scheduling_message(const DeliveryTarget& target,
                                                                             const SchedulingMessage& message) = 0;
  // Free/busy (RFC 6638 5, RFC 4791 7.10): any authenticated principal may learn when another local account is
  // busy, and nothing else. The store runs `reduce` over the objects of the owner's calendars (not the schedule
  // inbox) overlapping [start, end) and returns only the periods; no object content leaves the store.
  [[nodiscard]] virtual Result<BusyPeriods> free_busy(const Principal& who, AccountId owner, std::int64_t start,
                                                      std::int64_t end, const BusyReducer& reduce) = 0;
};

inline constexpr std::string_view kDefaultCalendar = "default";
inline constexpr std::string_view kDefaultAddressBook = "contacts";
// RFC 6638 2.2 / 2.1: every account's schedule inbox is a calendar collection with this reserved name (its
// resources are iTIP messages, several may share a UID); the outbox is virtual (POST only), never stored.
inline constexpr std::string_view kScheduleInbox = "inbox";
inline constexpr std::string_view kScheduleOutbox = "outbox";

}  // namespace bulwark::store
