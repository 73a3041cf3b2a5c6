#include "http/reply.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

response json_response(int status, const nlohmann::json& body) {
  response out;
  out.status = status;
  out.headers.emplace_back("content-type", "application/json; charset=utf-8");
  // Invalid UTF-8 that slipped into stored data must not turn an answer into an exception.
  out.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out;
}

response empty_response(int status) {
  response out;
  out.status = status;
  return out;
}

}  // namespace schedulerd::http
