#pragma once

#include "http/message.hpp"
#include "http/reply.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace schedulerd::http {

/// Encodes an OAuth authorize URL for `req`: a 302 to it for browsers, or 200 `{url}` when the
/// request asked `?mode=json` (scripts and single-page apps).
inline auto authorize_answer(const request& req) {
  return [json_mode = req.query_param("mode") == "json"](const std::string& url) {
    if (json_mode) {
      return json_response(200, {{"url", url}});
    }
    return empty_response(302).set_header("location", url);
  };
}

}  // namespace schedulerd::http
