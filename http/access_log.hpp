#pragma once

#include "http/message.hpp"
#include "log/logger.hpp"

#include <chrono>

namespace schedulerd::http {

/// Writes the one structured line per request: method, path, status, duration, request id.
/// Never the query string, a header value or a body: they may carry tokens or codes.
void write_access_log(log::logger& out, const request& req, int status,
                      std::chrono::steady_clock::duration elapsed);

}  // namespace schedulerd::http
