#include "base/mail_date.h"

#include <array>
#include <ctime>
#include <string_view>

#include <fmt/format.h>

namespace bulwark {

std::string rfc5322_date(std::int64_t seconds_since_epoch) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto when = static_cast<std::time_t>(seconds_since_epoch);
  std::tm tm{};
  gmtime_r(&when, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[static_cast<std::size_t>(tm.tm_wday)],
                     tm.tm_mday, kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

}  // namespace bulwark
