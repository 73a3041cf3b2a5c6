#pragma once

#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include <string>

// The shapes of Huggy's answers, shared by the fake's API and auth halves.

namespace schedulerd::testing::huggy_answers {

/// `status` with `body` as JSON.
http::response json(int status, const nlohmann::json& body);

/// A resource error: `status` with `{"reason": reason}`, as Huggy's API refuses.
http::response reason(int status, const std::string& reason);

/// An OAuth error as league/oauth2-server words it: `{error, message, hint}` (no hint if empty).
http::response oauth_error(int status, const std::string& error, const std::string& message,
                           const std::string& hint);

}  // namespace schedulerd::testing::huggy_answers
