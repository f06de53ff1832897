#include "parse/imap/date_time.h"

#include <array>
#include <cstdio>

namespace bulwark::parse::imap {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && is_leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

int month_number(std::string_view name) {
  if (name.size() != 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < 3; ++k) same = same && lower(name[k]) == lower(kMonths[i][k]);
    if (same) return static_cast<int>(i) + 1;
  }
  return 0;
}

int digits(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// "-" date-month "-" date-year, after the day.
Result<Date> parse_month_year(std::string_view rest, int day) {
  if (rest.size() != 9 || rest[0] != '-' || rest[4] != '-' || !all_digits(rest.substr(5, 4))) {
    return fail(Errc::invalid_syntax, "bad date");
  }
  Date date;
  date.day = day;
  date.month = month_number(rest.substr(1, 3));
  date.year = digits(rest.substr(5, 4));
  if (date.month == 0) return fail(Errc::invalid_syntax, "bad month in date");
  if (date.day < 1 || date.day > days_in_month(date.year, date.month)) {
    return fail(Errc::invalid_syntax, "bad day in date");
  }
  return date;
}

}  // namespace

Result<Date> parse_date(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  std::size_t day_len = 0;
  while (day_len < text.size() && day_len < 3 && is_digit(text[day_len])) ++day_len;
  if (day_len < 1 || day_len > 2) return fail(Errc::invalid_syntax, "bad day in date");
  return parse_month_year(text.substr(day_len), digits(text.substr(0, day_len)));
}

Result<DateTime> parse_date_time(std::string_view text) {
  // DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
  if (text.size() != 28 || text.front() != '"' || text.back() != '"') {
    return fail(Errc::invalid_syntax, "bad date-time");
  }
  text = text.substr(1, 26);
  int day = 0;
  if (text[0] == ' ' && is_digit(text[1])) {
    day = text[1] - '0';
  } else if (is_digit(text[0]) && is_digit(text[1])) {
    day = digits(text.substr(0, 2));
  } else {
    return fail(Errc::invalid_syntax, "bad day in date-time");
  }
  auto date = parse_month_year(text.substr(2, 9), day);
  if (!date) return tl::unexpected(date.error());
  // text[11] SP, time "HH:MM:SS" at 12, SP at 20, zone at 21
  const std::string_view time = text.substr(12, 8);
  const std::string_view zone = text.substr(21, 5);
  if (text[11] != ' ' || text[20] != ' ' || time[2] != ':' || time[5] != ':' || !all_digits(time.substr(0, 2)) ||
      !all_digits(time.substr(3, 2)) || !all_digits(time.substr(6, 2)) || (zone[0] != '+' && zone[0] != '-') ||
      !all_digits(zone.substr(1))) {
    return fail(Errc::invalid_syntax, "bad date-time");
  }
  DateTime value;
  value.date = *date;
  value.hour = digits(time.substr(0, 2));
  value.minute = digits(time.substr(3, 2));
  value.second = digits(time.substr(6, 2));
  const int zone_hours = digits(zone.substr(1, 2));
  const int zone_mins = digits(zone.substr(3, 2));
  if (value.hour > 23 || value.minute > 59 || value.second > 60 || zone_mins > 59) {
    return fail(Errc::invalid_syntax, "bad time in date-time");
  }
  value.zone_minutes = (zone[0] == '-' ? -1 : 1) * (zone_hours * 60 + zone_mins);
  return value;
}

std::string format_date_time(const DateTime& value) {
  char buffer[64];
  const int zone = value.zone_minutes < 0 ? -value.zone_minutes : value.zone_minutes;
  const int month = value.date.month >= 1 && value.date.month <= 12 ? value.date.month : 1;
  std::snprintf(buffer, sizeof buffer, "\"%02d-%s-%04d %02d:%02d:%02d %c%02d%02d\"", value.date.day,
                kMonths[static_cast<std::size_t>(month - 1)].data(), value.date.year, value.hour, value.minute,
                value.second, value.zone_minutes < 0 ? '-' : '+', zone / 60, zone % 60);
  return buffer;
}

}  // namespace bulwark::parse::imap
