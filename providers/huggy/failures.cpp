#include "providers/huggy/failures.hpp"

#include "providers/huggy/fields.hpp"
#include "providers/huggy/responses.hpp"
#include "providers/retry_after.hpp"

namespace schedulerd::providers::huggy {

std::optional<call_error> failure_of(const outbound_response& response, std::int64_t now_ms) {
  const int status = response.status;
  if (status >= 200 && status < 300) return std::nullopt;
  call_error error;
  error.http_status = status;
  if (!response.answered()) {
    // curl's own words name the host and port, which helps whoever reads the log; never a token.
    error.kind = failure_kind::retryable;
    error.message = response.timed_out ? "Huggy did not answer in time"
                                       : "Huggy could not be reached: " + response.error;
    return error;
  }
  error.message = describe_failure(status, response.body);
  if (status == 401) {
    error.kind = failure_kind::rejected_credentials;
  } else if (status == 408 || status == 429 || status >= 500) {
    error.kind = failure_kind::retryable;
    if (status == 429 || status == 503) {
      error.retry_after = parse_retry_after(response.header("retry-after"), now_ms);
    }
  } else {
    error.kind = failure_kind::permanent;
  }
  return error;
}

void redact(call_error& error, const domain::field_values& credentials) {
  for (const char* field : {access_token_field, refresh_token_field, client_secret_field}) {
    const auto secret = trimmed(credentials, field);
    // Very short values would blank ordinary words; validation keeps real secrets far longer.
    if (secret.size() < 8) continue;
    for (auto at = error.message.find(secret); at != std::string::npos;
         at = error.message.find(secret, at)) {
      error.message.replace(at, secret.size(), "[redacted]");
    }
  }
}

call_error unreadable(const outbound_response& response, const domain::failure& why) {
  return call_error{failure_kind::permanent, response.status, why.message, std::nullopt};
}

}  // namespace schedulerd::providers::huggy
