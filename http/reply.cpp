#include "http/reply.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace schedulerd::http {

response json_response(int status, const nlohmann::json& body) {
  // Invalid UTF-8 that slipped into stored data must not turn an answer into an exception.
  return json_text_response(status,
                            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

response json_text_response(int status, std::string body) {
  response out;
  out.status = status;
  out.headers.emplace_back("content-type", "application/json; charset=utf-8");
  out.body = std::move(body);
  return out;
}

response empty_response(int status) {
  response out;
  out.status = status;
  return out;
}

}  // namespace schedulerd::http
