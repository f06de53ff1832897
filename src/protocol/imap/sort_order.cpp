#include "protocol/imap/sort_order.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "domain/mail/base_subject.h"
#include "parse/mime/encoded_word.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

using domain::mail::compare_ascii_casemap;

constexpr std::array<std::string_view, 12> kMonthNames{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

std::string upper_ascii(std::string_view text) { return domain::mail::ascii_casemap_key(text); }

std::optional<int> small_number(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// RFC 5322 4.3 obs-zone; military zones other than Z are unreliable and count as +0000, as the RFC advises.
std::optional<int> zone_minutes(std::string_view zone) {
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    auto hhmm = small_number(zone.substr(1));
    if (!hhmm) return std::nullopt;
    const int minutes = *hhmm / 100 * 60 + *hhmm % 100;
    return zone[0] == '-' ? -minutes : minutes;
  }
  const std::string name = upper_ascii(zone);
  if (name == "UT" || name == "GMT" || name == "Z") return 0;
  if (name == "EDT") return -4 * 60;
  if (name == "EST" || name == "CDT") return -5 * 60;
  if (name == "CST" || name == "MDT") return -6 * 60;
  if (name == "MST" || name == "PDT") return -7 * 60;
  if (name == "PST") return -8 * 60;
  if (name.size() == 1 && name[0] >= 'A' && name[0] <= 'Z') return 0;
  return std::nullopt;
}

// The first address that is a mailbox (group markers skipped).
const parse::mime::Address* first_mailbox(const parse::mime::AddressList& list) {
  for (const auto& entry : list.entries) {
    if (entry.kind == parse::mime::AddressKind::mailbox) return &entry;
  }
  return nullptr;
}

std::string display_value(const parse::mime::AddressList& list) {
  const auto* address = first_mailbox(list);
  if (address == nullptr) return {};
  if (address->display_name) {
    std::string name = parse::mime::decode_encoded_words(*address->display_name);
    if (!name.empty()) return name;
  }
  return address->domain.empty() ? address->local_part : address->local_part + "@" + address->domain;
}

int compare_by(const SortValues& a, const SortValues& b, parse::imap::SortKey key) {
  using parse::imap::SortKey;
  auto numeric = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (key) {
    case SortKey::arrival: return numeric(a.arrival, b.arrival);
    case SortKey::date: return numeric(a.sent_date, b.sent_date);
    case SortKey::size: return numeric(a.size, b.size);
    case SortKey::subject: return compare_ascii_casemap(a.subject, b.subject);
    case SortKey::from: return compare_ascii_casemap(a.from, b.from);
    case SortKey::to: return compare_ascii_casemap(a.to, b.to);
    case SortKey::cc: return compare_ascii_casemap(a.cc, b.cc);
    case SortKey::display_from: return compare_ascii_casemap(a.display_from, b.display_from);
    case SortKey::display_to: return compare_ascii_casemap(a.display_to, b.display_to);
  }
  return 0;
}

}  // namespace

std::optional<std::int64_t> rfc5322_date_time(std::string_view value) {
  // Comments go; then tokens split at WSP and ",": [day-of-week] day month year hh:mm[:ss] zone.
  std::string text;
  int depth = 0;
  for (char c : value) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) text.push_back(c == ',' || c == '\t' || c == '\r' || c == '\n' ? ' ' : c);
  }
  std::vector<std::string_view> tokens;
  std::string_view rest = text;
  while (!rest.empty() && tokens.size() < 8) {
    const std::size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const std::size_t end = std::min(rest.find(' '), rest.size());
    tokens.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  std::size_t i = 0;
  if (!tokens.empty() && !small_number(tokens[0])) i = 1;  // day-of-week
  if (tokens.size() < i + 4) return std::nullopt;
  auto day = small_number(tokens[i]);
  const std::string month_name = upper_ascii(tokens[i + 1].substr(0, 3));
  auto month = std::find(kMonthNames.begin(), kMonthNames.end(), month_name);
  auto year = small_number(tokens[i + 2]);
  if (!day || *day < 1 || *day > 31 || month == kMonthNames.end() || !year) return std::nullopt;
  int y = *year;
  if (tokens[i + 2].size() <= 2) y += y < 50 ? 2000 : 1900;  // obs-year
  else if (tokens[i + 2].size() == 3) y += 1900;
  // hh:mm[:ss]
  std::string_view time = tokens[i + 3];
  std::array<int, 3> hms{0, 0, 0};
  for (std::size_t field = 0; field < 3 && !time.empty(); ++field) {
    const std::size_t colon = std::min(time.find(':'), time.size());
    auto n = small_number(time.substr(0, colon));
    if (!n || colon > 2) return std::nullopt;
    hms[field] = *n;
    time.remove_prefix(std::min(colon + 1, time.size()));
  }
  if (hms[0] > 23 || hms[1] > 59 || hms[2] > 60) return std::nullopt;
  int zone = 0;
  if (tokens.size() > i + 4) {
    auto minutes = zone_minutes(tokens[i + 4]);
    if (minutes) zone = *minutes;  // an unknown zone reads as +0000 (RFC 5322 4.3 "-0000")
  }
  const auto month_number = static_cast<int>(month - kMonthNames.begin()) + 1;
  return days_from_civil(y, month_number, *day) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2] -
         static_cast<std::int64_t>(zone) * 60;
}

void fill_sort_values(const parse::mime::Envelope& envelope, std::int64_t internal_date, SortValues& values) {
  values.sent_date = internal_date;
  if (envelope.date) {
    if (auto sent = rfc5322_date_time(*envelope.date)) values.sent_date = *sent;
  }
  if (envelope.subject) {
    values.subject =
        domain::mail::extract_base_subject(parse::mime::decode_encoded_words(*envelope.subject)).text;
  }
  auto mailbox = [](const parse::mime::AddressList& list) {
    const auto* address = first_mailbox(list);
    return address == nullptr ? std::string() : address->local_part;
  };
  values.from = mailbox(envelope.from);
  values.to = mailbox(envelope.to);
  values.cc = mailbox(envelope.cc);
  values.display_from = display_value(envelope.from);
  values.display_to = display_value(envelope.to);
}

std::vector<std::uint32_t> sort_numbers(std::vector<SortValues> messages,
                                        const std::vector<parse::imap::SortCriterion>& criteria) {
  std::stable_sort(messages.begin(), messages.end(), [&](const SortValues& a, const SortValues& b) {
    for (const auto& criterion : criteria) {
      int order = compare_by(a, b, criterion.key);
      if (criterion.is_reverse) order = -order;
      if (order != 0) return order < 0;
    }
    return false;
  });
  std::vector<std::uint32_t> out;
  out.reserve(messages.size());
  for (const auto& m : messages) out.push_back(m.number);
  return out;
}

}  // namespace bulwark::protocol::imap
