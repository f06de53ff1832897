#include "protocol/imap/response_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace bulwark::protocol::imap {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};

void append_range(std::string& out, std::uint32_t first, std::uint32_t last) {
  if (!out.empty()) out += ',';
  out += std::to_string(first);
  if (last != first) out += ':' + std::to_string(last);
}

}  // namespace

std::string flag_list(const std::vector<std::string>& flags) {
  std::string out = "(";
  for (const auto& flag : flags) {
    if (out.size() > 1) out += ' ';
    out += flag;
  }
  out += ')';
  return out;
}

std::string number_set(std::vector<std::uint32_t> numbers, bool sort) {
  if (sort) {
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  }
  std::string out;
  std::size_t i = 0;
  while (i < numbers.size()) {
    std::size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    append_range(out, numbers[i], numbers[j]);
    i = j + 1;
  }
  return out;
}

std::int64_t days_from_civil(int year, int month, int day) noexcept {
  // H. Hinnant's algorithm.
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::int64_t unix_day(std::int64_t unix_seconds) noexcept {
  return unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
}

std::string format_internal_date(std::int64_t unix_seconds) {
  const std::int64_t days = unix_day(unix_seconds);
  const std::int64_t rest = unix_seconds - days * 86400;
  // Inverse of days_from_civil.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  parse::imap::DateTime value;
  value.date.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  value.date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  value.date.year = static_cast<int>(yoe + era * 400 + (value.date.month <= 2 ? 1 : 0));
  value.hour = static_cast<int>(rest / 3600);
  value.minute = static_cast<int>(rest / 60 % 60);
  value.second = static_cast<int>(rest % 60);
  return parse::imap::format_date_time(value);
}

std::optional<std::int64_t> to_unix_seconds(const parse::imap::DateTime& value) {
  if (value.date.year < 1900 || value.date.year > 9999) return std::nullopt;
  return days_from_civil(value.date.year, value.date.month, value.date.day) * 86400 + value.hour * 3600 +
         value.minute * 60 + value.second - static_cast<std::int64_t>(value.zone_minutes) * 60;
}

std::optional<std::int64_t> rfc5322_day(std::string_view date) {
  // Tokens separated by spaces, commas and tabs: find "<day> <month> <year>".
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < date.size() && tokens.size() < 16) {
    while (i < date.size() && (date[i] == ' ' || date[i] == ',' || date[i] == '\t' || date[i] == '\r' ||
                               date[i] == '\n')) {
      ++i;
    }
    std::size_t start = i;
    while (i < date.size() && date[i] != ' ' && date[i] != ',' && date[i] != '\t' && date[i] != '\r' &&
           date[i] != '\n') {
      ++i;
    }
    if (i > start) tokens.push_back(date.substr(start, i - start));
  }
  auto number = [](std::string_view t) -> std::optional<int> {
    if (t.empty() || t.size() > 4) return std::nullopt;
    int n = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  for (std::size_t k = 0; k + 2 < tokens.size(); ++k) {
    auto day = number(tokens[k]);
    auto year = number(tokens[k + 2]);
    if (!day || !year || *day < 1 || *day > 31 || tokens[k + 1].size() < 3) continue;
    std::string month_name;
    for (char c : tokens[k + 1].substr(0, 3)) {
      month_name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto it = std::find(kMonths.begin(), kMonths.end(), month_name);
    if (it == kMonths.end()) continue;
    int y = *year;
    if (tokens[k + 2].size() <= 2) y += y < 50 ? 2000 : 1900;  // RFC 5322 4.3 obs-year
    return days_from_civil(y, static_cast<int>(it - kMonths.begin()) + 1, *day);
  }
  return std::nullopt;
}

}  // namespace bulwark::protocol::imap
