#include "protocol/scheduling/scheduler.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

#include "base/log.h"
#include "parse/dav_xml/xml_writer.h"
#include "parse/ical/calendar_object.h"
#include "parse/ical/occurrences.h"
#include "protocol/scheduling/imip_message.h"

namespace bulwark::protocol::scheduling {
namespace {

namespace ical = parse::ical;
using ical::SchedulingObject;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string random_token() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  auto n = generator();
  for (int i = 0; i < 16; ++i) out += kHex[(n >> (i * 4)) & 15];
  return out;
}

// An iTIP message for a schedule inbox, under a fresh name (`prefix`: "itip-" from our scheduler, "imip-" from mail).
store::SchedulingMessage inbox_message(std::string_view prefix, const SchedulingObject& about, std::string content) {
  store::SchedulingMessage message;
  message.uid = about.uid;
  message.inbox_item.name = std::string(prefix) + random_token() + ".ics";
  message.inbox_item.uid = message.inbox_item.name;
  message.inbox_item.component = about.component;
  message.inbox_item.content = std::move(content);
  return message;
}

// A resource name for a scheduled object: the UID when it is URL-friendly, else a hash of it.
std::string name_for_uid(std::string_view uid) {
  const bool plain = !uid.empty() && uid.size() <= 200 && std::all_of(uid.begin(), uid.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '@';
  });
  if (plain) return std::string(uid) + ".ics";
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (char c : uid) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sched-";
  for (int i = 0; i < 16; ++i) out += kHex[(h >> (i * 4)) & 15];
  return out + ".ics";
}

std::string organizer_of(const SchedulingObject& o) { return o.organizer ? o.organizer->address : std::string(); }

const ical::CalendarUser* attendee(const SchedulingObject& o, std::string_view address) {
  for (const auto& a : o.attendees) {
    if (a.address == address) return &a;
  }
  return nullptr;
}

Result<store::CalendarChange> put_change(std::string content, std::string_view uid, std::size_t max_instances) {
  ical::CalendarLimits limits;
  limits.max_bytes = content.size() + 1;
  limits.max_instances = max_instances;
  auto checked = ical::check_calendar_object(content, "VEVENT,VTODO,VJOURNAL", limits);
  if (!checked) return fail(Errc::invalid_syntax, "scheduled object refused: " + checked.error().detail);
  store::CalendarChange change;
  change.action = store::CalendarChange::Action::put;
  change.resource.name = name_for_uid(uid);
  change.resource.uid = checked->uid;
  change.resource.component = checked->component;
  change.resource.content = std::move(content);
  change.resource.start = checked->start;
  change.resource.end = checked->end;
  change.resource.is_recurring = checked->is_recurring;
  return change;
}

// How an iTIP message from `sender` changes the copy of `recipient` (RFC 6638 3.2, RFC 5546 3.2). Only the
// organizer of the recipient's copy may change or cancel it; a reply changes only the organizer's own copy and
// only the replying attendee's PARTSTAT.
store::SchedulingApply apply_for(std::string method, std::string itip, std::string sender, std::string recipient,
                                 std::string uid, std::size_t max_instances) {
  return [method = std::move(method), itip = std::move(itip), sender = std::move(sender),
          recipient = std::move(recipient), uid = std::move(uid),
          max_instances](const std::optional<store::ResourceInfo>& current) -> Result<store::CalendarChange> {
    std::optional<SchedulingObject> existing;
    if (current) {
      auto read = ical::read_scheduling_object(current->content);
      if (read) existing = std::move(*read);
    }
    const store::CalendarChange keep;
    if (method == "REQUEST") {
      if (current && (!existing || organizer_of(*existing) != sender)) return keep;
      BULWARK_TRY_ASSIGN(auto copy, ical::attendee_copy(itip));
      return put_change(std::move(copy), uid, max_instances);
    }
    if (method == "CANCEL") {
      if (!current || !existing || organizer_of(*existing) != sender) return keep;
      BULWARK_TRY_ASSIGN(auto copy, ical::cancelled_copy(current->content));
      return put_change(std::move(copy), uid, max_instances);
    }
    if (method == "REPLY") {
      if (!current || !existing || organizer_of(*existing) != recipient) return keep;
      BULWARK_TRY_ASSIGN(auto reply, ical::read_scheduling_object(itip));
      if (reply.attendees.empty() || reply.attendees.front().address != sender) return keep;
      BULWARK_TRY_ASSIGN(auto updated, ical::apply_reply(current->content, itip));
      if (!updated) return keep;
      return put_change(std::move(*updated), uid, max_instances);
    }
    return keep;
  };
}

}  // namespace

std::vector<std::string> Scheduler::addresses_of(const store::Principal& who) {
  std::vector<std::string> out{lower(who.address())};
  if (auto more = services_.directory.sender_addresses(who)) {
    for (const auto& a : *more) {
      auto l = lower(a);
      if (!contains(out, l)) out.push_back(std::move(l));
    }
  }
  return out;
}

PutPlan Scheduler::plan_put(const store::Principal& who, std::optional<std::string> old_object,
                            std::string_view body) {
  PutPlan plan;
  plan.content = std::string(body);
  plan.new_object = plan.content;
  plan.old_object = std::move(old_object);
  auto object = ical::read_scheduling_object(body);
  if (!object || !object->organizer || !object->method.empty() || object->component == "VFREEBUSY") return plan;
  const auto mine = addresses_of(who);
  std::optional<SchedulingObject> old;
  if (plan.old_object) {
    if (auto read = ical::read_scheduling_object(*plan.old_object)) old = std::move(*read);
  }
  if (contains(mine, object->organizer->address)) {
    if (object->organizer->is_client_scheduled) return plan;
    plan.role = PutPlan::Role::organizer;
    plan.self = object->organizer->address;
    for (const auto& a : object->attendees) {
      if (!contains(mine, a.address) && !a.is_client_scheduled) plan.requests.push_back(a.address);
    }
    if (old && organizer_of(*old) == plan.self) {
      for (const auto& a : old->attendees) {
        if (!contains(mine, a.address) && !a.is_client_scheduled && !attendee(*object, a.address)) {
          plan.cancels.push_back(a.address);
        }
      }
    }
    std::map<std::string, std::string> status;
    for (const auto& to : plan.requests) {
      auto resolved = services_.directory.resolve(to);
      if (!resolved) {
        status[to] = std::string(resolved.error().code == Errc::not_found ? kStatusNoUser : kStatusFailed);
      } else {
        status[to] = std::string(resolved->local.empty() ? kStatusSent : kStatusDelivered);
      }
    }
    if (!status.empty()) {
      if (auto with_status = ical::set_schedule_status(body, status)) {
        plan.content = std::move(*with_status);
        plan.new_object = plan.content;
        plan.is_content_changed = true;
      }
    }
    return plan;
  }
  for (const auto& address : mine) {
    const auto* me = attendee(*object, address);
    if (!me) continue;
    if (me->is_client_scheduled || object->organizer->is_client_scheduled) return plan;
    plan.role = PutPlan::Role::attendee;
    plan.self = address;
    plan.organizer = object->organizer->address;
    const ical::CalendarUser* before = old ? attendee(*old, address) : nullptr;
    plan.send_reply = before ? before->partstat != me->partstat : me->partstat != "NEEDS-ACTION";
    return plan;
  }
  return plan;
}

std::size_t Scheduler::execute(const store::Principal& who, const PutPlan& plan) {
  std::size_t sent = 0;
  if (plan.role == PutPlan::Role::organizer) {
    auto object = ical::read_scheduling_object(plan.new_object);
    if (!object) return 0;
    const std::string method = object->is_cancelled ? "CANCEL" : "REQUEST";
    auto itip = object->is_cancelled ? ical::make_cancel(plan.new_object) : ical::make_request(plan.new_object);
    if (itip) {
      for (const auto& to : plan.requests) sent += send(who, plan.self, to, method, *itip, *object) == kStatusNoUser ? 0 : 1;
    }
    if (!plan.cancels.empty() && plan.old_object) {
      auto old = ical::read_scheduling_object(*plan.old_object);
      auto cancel = ical::make_cancel(*plan.old_object);
      if (old && cancel) {
        for (const auto& to : plan.cancels) sent += send(who, plan.self, to, "CANCEL", *cancel, *old) == kStatusNoUser ? 0 : 1;
      }
    }
  } else if (plan.role == PutPlan::Role::attendee && plan.send_reply) {
    auto object = ical::read_scheduling_object(plan.new_object);
    auto reply = ical::make_reply(plan.new_object, plan.self, std::nullopt);
    if (object && reply) sent += send(who, plan.self, plan.organizer, "REPLY", *reply, *object) == kStatusNoUser ? 0 : 1;
  }
  return sent;
}

std::size_t Scheduler::after_delete(const store::Principal& who, std::string_view old_object) {
  auto object = ical::read_scheduling_object(old_object);
  if (!object || !object->organizer || !object->method.empty()) return 0;
  const auto mine = addresses_of(who);
  std::size_t sent = 0;
  if (contains(mine, object->organizer->address)) {
    if (object->organizer->is_client_scheduled) return 0;
    auto cancel = ical::make_cancel(old_object);
    if (!cancel) return 0;
    for (const auto& a : object->attendees) {
      if (contains(mine, a.address) || a.is_client_scheduled) continue;
      sent += send(who, object->organizer->address, a.address, "CANCEL", *cancel, *object) == kStatusNoUser ? 0 : 1;
    }
    return sent;
  }
  for (const auto& address : mine) {
    const auto* me = attendee(*object, address);
    if (!me) continue;
    // RFC 6638 3.2.2.3: removing an invitation declines it, unless it was cancelled or declined already.
    if (me->is_client_scheduled || object->is_cancelled || me->partstat == "DECLINED") return 0;
    auto reply = ical::make_reply(old_object, address, "DECLINED");
    if (!reply) return 0;
    return send(who, address, object->organizer->address, "REPLY", *reply, *object) == kStatusNoUser ? 0 : 1;
  }
  return 0;
}

std::string Scheduler::send(const store::Principal& who, const std::string& from, const std::string& to,
                            const std::string& method, const std::string& itip, const SchedulingObject& about) {
  auto resolved = services_.directory.resolve(to);
  if (!resolved) {
    if (resolved.error().code == Errc::not_found) return std::string(kStatusNoUser);
    spdlog::warn("scheduling: cannot resolve {}: {}", log::sanitize(to), resolved.error().detail);
    return std::string(kStatusFailed);
  }
  std::string status(kStatusNoUser);
  for (const auto& target : resolved->local) {
    if (target.account_id() == who.account_id()) continue;
    status = deliver_local(target, to, method, itip, about, from);
  }
  if (!resolved->remote.empty()) status = queue_remote(who, from, to, method, itip, about);
  return status;
}

std::string Scheduler::deliver_local(const store::DeliveryTarget& target, const std::string& recipient,
                                     const std::string& method, const std::string& itip,
                                     const SchedulingObject& about, const std::string& sender) {
  if (!services_.dav) return std::string(kStatusFailed);
  auto config = services_.config.get();
  auto message = inbox_message("itip-", about, itip);
  // The address the message was sent to (an alias included), which is what the recipient's copy names.
  message.apply = apply_for(method, itip, sender, lower(recipient), about.uid,
                            config->dav.max_recurrence_instances);
  auto outcome = services_.dav->deliver_scheduling_message(target, message);
  if (!outcome) {
    spdlog::warn("scheduling: {} for {} not delivered: {}", method, log::sanitize(target.address()),
              outcome.error().detail);
    return std::string(kStatusFailed);
  }
  return std::string(kStatusDelivered);
}

std::string Scheduler::queue_remote(const store::Principal& who, const std::string& from, const std::string& to,
                                    const std::string& method, const std::string& itip,
                                    const SchedulingObject& about) {
  auto config = services_.config.get();
  ImipOutgoing out;
  out.from = from;
  out.to = to;
  out.method = method;
  out.summary = about.summary;
  out.calendar = itip;
  out.date = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  out.message_id = "imip." + random_token() + "@" + config->hostname;
  const std::string content = build_imip_message(out);
  auto blob = services_.mail.store_blob(content);
  if (!blob) {
    spdlog::warn("scheduling: iMIP {} to {} not queued: {}", method, log::sanitize(to), blob.error().detail);
    return std::string(kStatusFailed);
  }
  store::QueueEnvelope envelope;
  envelope.sender = from;
  store::QueueRecipient recipient;
  recipient.address = to;
  envelope.recipients.push_back(std::move(recipient));
  envelope.submitted_by = who.address();
  auto id = services_.queue.enqueue(*blob, envelope);
  if (!id) {
    spdlog::warn("scheduling: iMIP {} to {} not queued: {}", method, log::sanitize(to), id.error().detail);
    return std::string(kStatusFailed);
  }
  return std::string(kStatusSent);
}

Status Scheduler::deliver_inbound(const store::DeliveryTarget& target, std::string_view calendar,
                                  bool is_trusted_sender, const std::vector<std::string>& sender_addresses) {
  if (!services_.dav) return ok();
  BULWARK_TRY_ASSIGN(auto object, ical::read_scheduling_object(calendar));
  if (object.method != "REQUEST" && object.method != "CANCEL" && object.method != "REPLY") {
    return fail(Errc::invalid_argument, "not an iTIP REQUEST, CANCEL or REPLY");
  }
  // Who the iTIP message claims to come from: the organizer, or for a REPLY the replying attendee.
  std::string sender = object.method == "REPLY"
                           ? (object.attendees.empty() ? std::string() : object.attendees.front().address)
                           : organizer_of(object);
  std::vector<std::string> allowed;
  for (const auto& a : sender_addresses) allowed.push_back(lower(a));
  const bool apply = is_trusted_sender && !sender.empty() && contains(allowed, sender);
  auto config = services_.config.get();
  auto message = inbox_message("imip-", object, std::string(calendar));
  if (apply) {
    message.apply = apply_for(object.method, std::string(calendar), sender, lower(target.address()), object.uid,
                              config->dav.max_recurrence_instances);
  }
  BULWARK_TRY(services_.dav->deliver_scheduling_message(target, message));
  return ok();
}

Result<std::string> Scheduler::free_busy_response(const store::Principal& who, std::string_view body) {
  if (!services_.dav) return fail(Errc::not_found, "no calendars");
  BULWARK_TRY_ASSIGN(auto request, ical::read_free_busy_request(body));
  if (!contains(addresses_of(who), request.organizer)) {
    return fail(Errc::permission_denied, "the ORGANIZER is not an address of the authenticated user");
  }
  auto config = services_.config.get();
  const std::size_t max_instances = config->dav.max_recurrence_instances;
  const ical::TimeRange range = request.range;
  store::BusyReducer reduce = [range, max_instances](std::string_view content) {
    store::BusyPeriods out;
    auto set = ical::occurrences_in(content, "VEVENT", range, max_instances);
    if (!set) return out;
    for (const auto& o : set->items) {
      if (!o.is_transparent && o.end > o.start) out.emplace_back(o.start, o.end);
    }
    return out;
  };
  using parse::dav_xml::xml_escape;
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                    "<c:schedule-response xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">";
  for (const auto& attendee_uri : request.attendees) {
    xml += "<c:response><c:recipient><d:href>" + xml_escape(attendee_uri) + "</d:href></c:recipient>";
    const std::string address = ical::calendar_address(attendee_uri);
    std::optional<store::AccountId> account;
    std::string failure = "3.7;Invalid calendar user";
    if (!address.empty()) {
      auto resolved = services_.directory.resolve(address);
      if (resolved && resolved->local.size() == 1) {
        account = resolved->local.front().account_id();
      } else if (resolved && !resolved->remote.empty()) {
        failure = "5.3;No scheduling support for user";
      }
    }
    std::optional<store::BusyPeriods> busy;
    if (account) {
      auto periods = services_.dav->free_busy(who, *account, range.start, range.end, reduce);
      if (periods) {
        busy = std::move(*periods);
      } else {
        failure = "5.1;Could not deliver";
      }
    }
    if (busy) {
      xml += "<c:request-status>2.0;Success</c:request-status><c:calendar-data>" +
             xml_escape(ical::free_busy_reply(request, attendee_uri, std::move(*busy))) + "</c:calendar-data>";
    } else {
      xml += "<c:request-status>" + failure + "</c:request-status>";
    }
    xml += "</c:response>";
  }
  xml += "</c:schedule-response>";
  return xml;
}

}  // namespace bulwark::protocol::scheduling
