#include "http/json/accounts_json.hpp"

#include "domain/rfc3339.hpp"
#include "http/json/json_values.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

nlohmann::json user_json(const domain::user_record& user) {
  return {{"id", std::to_string(user.id)},
          {"name", user.name},
          {"email", user.email},
          {"created_at", domain::format_rfc3339(user.created_at)},
          {"oauth", user.oauth_providers}};
}

nlohmann::json session_grant_json(const domain::session_grant& grant) {
  return {{"user", user_json(grant.user)}, {"token", grant.token}};
}

nlohmann::json token_json(const domain::token_record& token) {
  return {{"id", std::to_string(token.id)},
          {"name", token.name},
          {"created_at", domain::format_rfc3339(token.created_at)},
          {"last_used_at", optional_time(token.last_used_at)},
          {"expires_at", optional_time(token.expires_at)}};
}

}  // namespace schedulerd::http
