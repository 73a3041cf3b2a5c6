#include "providers/huggy/token_endpoint.hpp"

#include "providers/http_client.hpp"
#include "providers/huggy/failures.hpp"
#include "providers/huggy/fields.hpp"
#include "providers/huggy/responses.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace schedulerd::providers::huggy {

namespace {

// Longer lifetimes than this are read as this, so the expiry stays far from overflowing.
constexpr std::int64_t max_lifetime_s = 10LL * 366 * 24 * 3600;

}  // namespace

call_result<domain::field_values> request_tokens(const connector_environment& environment,
                                                 const token_fields& fields,
                                                 domain::field_values credentials) {
  nlohmann::json body = nlohmann::json::object();
  for (const auto& [name, value] : fields) {
    if (!value.empty()) body[name] = value;
  }
  outbound_request request;
  request.method = "POST";
  request.url = environment.auth_base_url + "/oauth/access_token";
  request.timeout = environment.timeout;
  request.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  // Replace, not throw, on invalid UTF-8: a pasted secret is checked to be ASCII, but this must
  // not be the place that finds out it was not.
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  const auto response = send(request);
  if (auto failed = failure_of(response, environment.now())) {
    // league/oauth2-server answers invalid_grant and invalid_request with 400, invalid_client with
    // 401: either way these credentials will not get a token, however often we ask.
    if (failed->http_status == 400 || failed->http_status == 401) {
      failed->kind = failure_kind::rejected_credentials;
    }
    return std::move(*failed);
  }
  auto grant = parse_token_grant(response.body);
  if (!grant) return unreadable(response, grant.error());

  credentials[access_token_field] = grant->access_token;
  if (!grant->refresh_token.empty()) credentials[refresh_token_field] = grant->refresh_token;
  if (grant->expires_in_s) {
    const auto lifetime_s = std::min(*grant->expires_in_s, max_lifetime_s);
    credentials[expires_at_field] = std::to_string(environment.now() + lifetime_s * 1000);
  } else {
    credentials.erase(expires_at_field);
  }
  return credentials;
}

}  // namespace schedulerd::providers::huggy
