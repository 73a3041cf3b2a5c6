#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace schedulerd::domain {

/// Parses an HTTP-date (RFC 9110, section 5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime
/// forms every recipient must accept) into milliseconds since the epoch; nullopt when malformed.
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace schedulerd::domain
