#include "providers/retry_after.hpp"

#include "domain/ascii_text.hpp"
#include "domain/http_date.hpp"

#include <algorithm>

namespace schedulerd::providers {

std::optional<std::chrono::seconds> parse_retry_after(std::optional<std::string_view> value,
                                                      std::int64_t now_ms) {
  if (!value) return std::nullopt;
  const auto text = domain::trim(*value);
  if (text.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // Any number of digits: past a few, the value is over the cap anyway, and must not overflow.
    for (const char c : text) {
      seconds = std::min<std::int64_t>(seconds * 10 + (c - '0'), max_retry_after.count());
    }
  } else if (const auto at = domain::parse_http_date(text)) {
    // Rounded up: waiting a little too long is harmless, asking again too early is not.
    seconds = (*at - now_ms + 999) / 1000;
  } else {
    return std::nullopt;
  }
  return std::chrono::seconds{
      std::clamp<std::int64_t>(seconds, min_retry_after.count(), max_retry_after.count())};
}

}  // namespace schedulerd::providers
