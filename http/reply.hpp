#pragma once

#include "http/message.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace schedulerd::http {

/// A response carrying `body` serialised as JSON.
response json_response(int status, const nlohmann::json& body);

/// A response carrying `body`, JSON text written already (json_writer).
response json_text_response(int status, std::string body);

/// A response with no body (204, 302, ...).
response empty_response(int status);

}  // namespace schedulerd::http
