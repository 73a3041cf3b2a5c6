#pragma once

#include "http/message.hpp"
#include "providers/http_client.hpp"

#include <string>

namespace schedulerd::testing {

/// Sends GET `url` with `headers` through the production HTTP client.
providers::outbound_response get(const std::string& url, http::header_list headers = {});

/// Sends POST `url` with a JSON `body` (content-type application/json added unless given).
providers::outbound_response post_json(const std::string& url, std::string body,
                                       http::header_list headers = {});

/// Sends `method` `url` with `body` and `headers`, exactly as given.
providers::outbound_response call(std::string method, const std::string& url, std::string body = {},
                                  http::header_list headers = {});

}  // namespace schedulerd::testing
