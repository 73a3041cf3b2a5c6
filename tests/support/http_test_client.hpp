#pragma once

#include "http/message.hpp"
#include "providers/http_client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace schedulerd::testing {

/// Sends GET `url` with `headers` through the production HTTP client.
providers::outbound_response get(const std::string& url, http::header_list headers = {});

/// Sends POST `url` with a JSON `body` (content-type application/json added unless given).
providers::outbound_response post_json(const std::string& url, std::string body,
                                       http::header_list headers = {});

/// Sends `method` `url` with `body` and `headers`, exactly as given, waiting up to `timeout`.
providers::outbound_response call(std::string method, const std::string& url, std::string body = {},
                                  http::header_list headers = {},
                                  std::chrono::milliseconds timeout = std::chrono::seconds{10});

/// Parses a response body as JSON (null when it is not JSON).
nlohmann::json body_of(const providers::outbound_response& res);

/// A function shown every exchange `call` completes, on the calling thread.
using exchange_observer = void (*)(const providers::outbound_request&,
                                   const providers::outbound_response&);

/// Shows every later exchange of `call` to `observer` (nullptr: to nobody).
void observe_exchanges(exchange_observer observer);

}  // namespace schedulerd::testing
