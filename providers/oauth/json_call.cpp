#include "providers/oauth/json_call.hpp"

#include "domain/url_encoding.hpp"

#include <algorithm>
#include <cctype>

namespace schedulerd::providers::oauth {

domain::outcome<json_reply> call_json(const outbound_request& request, std::string_view provider) {
  const std::string name{provider};
  const outbound_response response = send(request);
  if (!response.answered()) {
    // The curl message names hosts and ports; the caller only needs to know who failed and how.
    return domain::failure{domain::errc::upstream_failed, response.timed_out
                                                              ? name + " did not answer in time"
                                                              : name + " could not be reached"};
  }
  if (response.status >= 500) {
    return domain::failure{domain::errc::upstream_failed,
                           name + " failed with HTTP " + std::to_string(response.status)};
  }
  // parse(..., allow_exceptions = false) reports garbage as a discarded value instead of throwing.
  json_reply reply{response.status, nlohmann::json::parse(response.body, nullptr, false)};
  if (reply.body.is_discarded()) {
    return domain::failure{domain::errc::upstream_failed, name + " answered HTTP " +
                                                              std::to_string(response.status) +
                                                              " with a body that is not JSON"};
  }
  return reply;
}

outbound_request code_redemption_request(const config::oauth_provider& settings,
                                         const std::string& code, const std::string& code_verifier,
                                         const std::string& redirect_uri,
                                         std::chrono::milliseconds timeout) {
  outbound_request request;
  request.method = "POST";
  request.url = settings.token_url;
  request.timeout = timeout;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = form_encode({{"grant_type", "authorization_code"},
                              {"code", code},
                              {"client_id", settings.client_id},
                              {"client_secret", settings.client_secret},
                              {"redirect_uri", redirect_uri},
                              {"code_verifier", code_verifier}});
  return request;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += domain::url_encode(name);
    out.push_back('=');
    out += domain::url_encode(value);
  }
  return out;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) {
    return {};
  }
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return {};
  }
  return it->get_ref<const std::string&>();
}

bool true_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) {
    return false;
  }
  auto it = object.find(key);
  if (it == object.end()) {
    return false;
  }
  if (it->is_boolean()) {
    return it->get<bool>();
  }
  return it->is_string() && it->get_ref<const std::string&>() == "true";
}

}  // namespace schedulerd::providers::oauth
