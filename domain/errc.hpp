#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace schedulerd::domain {

/// Every way a request or an internal operation can fail, one entry per distinct client reaction.
enum class errc : std::uint8_t {
  bad_request = 1,
  unauthenticated,
  forbidden,
  not_found,
  method_not_allowed,
  conflict,
  payload_too_large,
  unsupported_media_type,
  invalid_input,
  rate_limited,
  internal,
  unavailable,
  upstream_failed,
  uri_too_long,
  headers_too_large,
};

/// The stable snake_case name of `code`, as used in logs and the HTTP envelope.
const char* to_string(errc code);

/// Whether the same request may succeed when sent again unchanged, later.
bool retryable(errc code);

/// How long a caller should wait before retrying a failure of `code`; none when it is not
/// retryable or when the wait depends on the failure (a rate limit carries its own).
std::optional<std::chrono::seconds> retry_after_hint(errc code);

}  // namespace schedulerd::domain
