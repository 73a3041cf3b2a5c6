#include "domain/rfc3339.hpp"

#include <array>
#include <cstddef>
#include <cstdio>

namespace schedulerd::domain {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct civil_date {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

civil_date civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool is_leap(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> lengths{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : lengths[month - 1];
}

// Reads exactly `count` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool expect(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
  auto year = digits(text, 0, 4);
  auto month = digits(text, 5, 2);
  auto day = digits(text, 8, 2);
  auto hour = digits(text, 11, 2);
  auto minute = digits(text, 14, 2);
  auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || !expect(text, 4, '-') ||
      !expect(text, 7, '-') || !(expect(text, 10, 'T') || expect(text, 10, 't')) ||
      !expect(text, 13, ':') || !expect(text, 16, ':')) {
    return std::nullopt;
  }
  if (*month < 1 || *month > 12 || *day < 1 ||
      static_cast<unsigned>(*day) > days_in_month(*year, static_cast<unsigned>(*month)) ||
      *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (expect(text, pos, '.')) {
    ++pos;
    std::size_t start = pos;
    std::int64_t scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 9) {
      return std::nullopt;
    }
  }
  std::int64_t offset_minutes = 0;
  if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
    ++pos;
  } else if (expect(text, pos, '+') || expect(text, pos, '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    auto offset_hours = digits(text, pos + 1, 2);
    auto offset_mins = digits(text, pos + 4, 2);
    if (!offset_hours || !offset_mins || !expect(text, pos + 3, ':') || *offset_hours > 23 ||
        *offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes = std::int64_t{sign} * (*offset_hours * 60 + *offset_mins);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  std::int64_t days =
      days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  std::int64_t seconds = days * 86400 + std::int64_t{*hour} * 3600 + std::int64_t{*minute} * 60 +
                         *second - offset_minutes * 60;
  const std::int64_t epoch_ms = seconds * 1000 + millis;
  // An offset can move year 0000 or 9999 past what a four-digit UTC year can write back.
  constexpr std::int64_t first_ms = -62'167'219'200'000;  // 0000-01-01T00:00:00.000Z
  constexpr std::int64_t last_ms = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
  if (epoch_ms < first_ms || epoch_ms > last_ms) {
    return std::nullopt;
  }
  return epoch_ms;
}

std::string format_rfc3339(std::int64_t epoch_ms) {
  std::int64_t millis = epoch_ms % 1000;
  std::int64_t seconds = epoch_ms / 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  const auto date = civil_from_days(days);
  if (date.year < 0 || date.year > 9999) {
    // Outside four digits (never stored, but the function is total): as printf writes it.
    std::array<char, 40> buffer{};
    // Cannot fail or truncate: every field is bounded, the longest result is 29 characters.
    static_cast<void>(
        std::snprintf(buffer.data(), buffer.size(), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                      static_cast<long long>(date.year), date.month, date.day,
                      static_cast<long long>(rest / 3600), static_cast<long long>(rest % 3600 / 60),
                      static_cast<long long>(rest % 60), static_cast<long long>(millis)));
    return buffer.data();
  }
  // YYYY-MM-DDTHH:MM:SS.mmmZ digit by digit: snprintf was most of a list answer's encoding.
  std::string text = "0000-00-00T00:00:00.000Z";
  const auto put = [&text](std::size_t end, std::int64_t value, std::size_t width) {
    for (std::size_t i = 1; i <= width; ++i) {
      text[end - i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(4, date.year, 4);
  put(7, date.month, 2);
  put(10, date.day, 2);
  put(13, rest / 3600, 2);
  put(16, rest % 3600 / 60, 2);
  put(19, rest % 60, 2);
  put(23, millis, 3);
  return text;
}

}  // namespace schedulerd::domain
