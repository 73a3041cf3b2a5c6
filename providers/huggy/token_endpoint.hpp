#pragma once

#include "domain/provider_records.hpp"
#include "providers/connector.hpp"

#include <string>
#include <utility>
#include <vector>

namespace schedulerd::providers::huggy {

/// The fields of one token request (`grant_type` and the rest, in order).
using token_fields = std::vector<std::pair<std::string, std::string>>;

/// Posts `fields` as JSON to `{auth_base_url}/oauth/access_token` (fields with empty values are
/// left out) and answers `credentials` completed with the grant: the new access token, the new
/// refresh token (the old one stays when the answer has none) and `expires_at` from `expires_in`
/// (removed when the answer gives no lifetime). A refused grant (400 or 401) rejects the
/// credentials; 429, 5xx and transport failures are retryable.
call_result<domain::field_values> request_tokens(const connector_environment& environment,
                                                 const token_fields& fields,
                                                 domain::field_values credentials);

}  // namespace schedulerd::providers::huggy
