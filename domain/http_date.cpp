#include "domain/http_date.hpp"

#include <array>
#include <chrono>

namespace schedulerd::domain {

namespace {

constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> day_names{"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};

// Reads the text left to right; every step fails (and stays failed) on anything unexpected.
class reader {
 public:
  explicit reader(std::string_view text) : text_(text) {}

  void literal(std::string_view expected) {
    ok_ = ok_ && text_.substr(0, expected.size()) == expected;
    if (ok_) text_.remove_prefix(expected.size());
  }

  // Exactly `width` digits; a leading space stands for a zero when `space_padded` (asctime's day).
  int number(std::size_t width, bool space_padded = false) {
    int value = 0;
    for (std::size_t i = 0; ok_ && i < width; ++i) {
      const char c = i < text_.size() ? text_[i] : '\0';
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
      } else {
        ok_ = space_padded && i == 0 && c == ' ';
      }
    }
    if (ok_) text_.remove_prefix(width);
    return value;
  }

  // The 1-based month of a three-letter English abbreviation.
  unsigned month() {
    for (std::size_t i = 0; ok_ && i < month_names.size(); ++i) {
      if (text_.substr(0, 3) == month_names[i]) {
        text_.remove_prefix(3);
        return static_cast<unsigned>(i + 1);
      }
    }
    ok_ = false;
    return 0;
  }

  // A day name, abbreviated (IMF-fixdate, asctime) or in full (RFC 850); its value is not checked
  // against the date, as RFC 9110 lets recipients ignore it.
  void day_name(bool full) {
    for (const auto name : day_names) {
      if (ok_ && text_.substr(0, 3) == name) {
        text_.remove_prefix(3);
        while (full && !text_.empty() && text_.front() >= 'a' && text_.front() <= 'z') {
          text_.remove_prefix(1);
        }
        return;
      }
    }
    ok_ = false;
  }

  // "HH:MM:SS" as seconds since midnight.
  int time_of_day() {
    const int hours = number(2);
    literal(":");
    const int minutes = number(2);
    literal(":");
    const int seconds = number(2);
    ok_ = ok_ && hours < 24 && minutes < 60 && seconds < 61;
    return (hours * 60 + minutes) * 60 + seconds;
  }

  [[nodiscard]] bool finished() const { return ok_ && text_.empty(); }

 private:
  std::string_view text_;
  bool ok_ = true;
};

std::optional<std::int64_t> epoch_ms(int year, unsigned month, int day, int seconds) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days{date}.time_since_epoch().count();
  return (static_cast<std::int64_t>(days) * 86400 + seconds) * 1000;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" and "Sunday, 06-Nov-94 08:49:37 GMT".
std::optional<std::int64_t> parse_with_comma(std::string_view text, bool rfc850) {
  reader in{text};
  in.day_name(rfc850);
  in.literal(", ");
  const int day = in.number(2);
  in.literal(rfc850 ? "-" : " ");
  const unsigned month = in.month();
  in.literal(rfc850 ? "-" : " ");
  int year = rfc850 ? in.number(2) : in.number(4);
  // RFC 850's two-digit years: the recipient picks the century; no server sends dates before 1970.
  if (rfc850) year += year < 70 ? 2000 : 1900;
  in.literal(" ");
  const int seconds = in.time_of_day();
  in.literal(" GMT");
  if (!in.finished()) return std::nullopt;
  return epoch_ms(year, month, day, seconds);
}

// "Sun Nov  6 08:49:37 1994".
std::optional<std::int64_t> parse_asctime(std::string_view text) {
  reader in{text};
  in.day_name(false);
  in.literal(" ");
  const unsigned month = in.month();
  in.literal(" ");
  const int day = in.number(2, true);
  in.literal(" ");
  const int seconds = in.time_of_day();
  in.literal(" ");
  const int year = in.number(4);
  if (!in.finished()) return std::nullopt;
  return epoch_ms(year, month, day, seconds);
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  const auto comma = text.find(',');
  if (comma == std::string_view::npos) return parse_asctime(text);
  return parse_with_comma(text, comma > 3);
}

}  // namespace schedulerd::domain
