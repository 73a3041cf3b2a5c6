#pragma once

#include "config/service_config.hpp"
#include "domain/outcome.hpp"
#include "providers/http_client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedulerd::providers::oauth {

/// A provider's answer: its HTTP status and its body parsed as JSON.
struct json_reply {
  int status = 0;
  nlohmann::json body;
};

/// Sends `request` and parses the answer as JSON.
///
/// A transport failure, a timeout, a 5xx or a body that is not JSON fails with upstream_failed,
/// in a message naming `provider`; any other status comes back for the caller to interpret.
domain::outcome<json_reply> call_json(const outbound_request& request, std::string_view provider);

/// The token request (RFC 6749, section 4.1.3, with the PKCE verifier of RFC 7636) that redeems
/// `code` at `settings.token_url`, asking for a JSON answer.
outbound_request code_redemption_request(const config::oauth_provider& settings,
                                         const std::string& code, const std::string& code_verifier,
                                         const std::string& redirect_uri,
                                         std::chrono::milliseconds timeout);

/// Encodes `fields` as an application/x-www-form-urlencoded body (or query string).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

/// The string at `key` of `object`, or empty when `object` is no object or the value no string.
std::string string_field(const nlohmann::json& object, const char* key);

/// Whether `object[key]` is true, accepting the string "true" that older Google endpoints send.
bool true_field(const nlohmann::json& object, const char* key);

}  // namespace schedulerd::providers::oauth
