#include "http/json/accounts_json.hpp"

#include "domain/rfc3339.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

nlohmann::json optional_time(const std::optional<std::int64_t>& at) {
  return at ? nlohmann::json(domain::format_rfc3339(*at)) : nlohmann::json(nullptr);
}

}  // namespace

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
