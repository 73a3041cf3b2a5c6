#pragma once

#include "domain/account_records.hpp"

#include <nlohmann/json_fwd.hpp>

namespace schedulerd::http {

/// The API's `user` object: `{id, name, email, created_at, oauth}`.
nlohmann::json user_json(const domain::user_record& user);

/// The API's answer to a sign-in (register, login, OAuth): `{user, token}`.
nlohmann::json session_grant_json(const domain::session_grant& grant);

/// The API's token listing object: `{id, name, created_at, last_used_at, expires_at}`.
nlohmann::json token_json(const domain::token_record& token);

}  // namespace schedulerd::http
