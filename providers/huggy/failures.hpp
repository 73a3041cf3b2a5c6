#pragma once

#include "domain/outcome.hpp"
#include "domain/provider_records.hpp"
#include "providers/connector.hpp"
#include "providers/http_client.hpp"

#include <cstdint>
#include <optional>

namespace schedulerd::providers::huggy {

/// Why Huggy's `response` means failure, or nullopt for a 2xx: timeouts, transport errors, 408,
/// 429 and 5xx are retryable (429 and 503 with their `Retry-After`, read against `now_ms`), 401
/// rejects the credentials, any other status is permanent with Huggy's own reason.
std::optional<call_error> failure_of(const outbound_response& response, std::int64_t now_ms);

/// Replaces every secret credential value (access and refresh token, client secret) found in
/// `error`'s message, in case an answer quoted one back.
void redact(call_error& error, const domain::field_values& credentials);

/// The permanent error for a 2xx answer whose body `why` could not read.
call_error unreadable(const outbound_response& response, const domain::failure& why);

}  // namespace schedulerd::providers::huggy
