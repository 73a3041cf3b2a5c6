#pragma once

#include "http/message.hpp"

#include <nlohmann/json_fwd.hpp>

namespace schedulerd::http {

/// A response carrying `body` serialised as JSON.
response json_response(int status, const nlohmann::json& body);

/// A response with no body (204, 302, ...).
response empty_response(int status);

}  // namespace schedulerd::http
