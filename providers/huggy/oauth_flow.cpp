#include "providers/huggy/oauth_flow.hpp"

#include "domain/url_encoding.hpp"
#include "providers/huggy/failures.hpp"
#include "providers/huggy/fields.hpp"
#include "providers/huggy/token_endpoint.hpp"

#include <exception>
#include <utility>

namespace schedulerd::providers::huggy {

oauth_flow::oauth_flow(connector_environment environment) : environment_(std::move(environment)) {}

std::string oauth_flow::authorize_url(const domain::field_values& credentials,
                                      const std::string& redirect_uri,
                                      const std::string& state) const {
  // Huggy's documented URL, parameters in its order; url_encode turns the scopes' space into %20.
  return environment_.auth_base_url + "/oauth/authorize?scope=" + domain::url_encode(oauth_scopes) +
         "&response_type=code&redirect_uri=" + domain::url_encode(redirect_uri) +
         "&client_id=" + domain::url_encode(trimmed(credentials, client_id_field)) +
         "&state=" + domain::url_encode(state);
}

call_result<domain::field_values> oauth_flow::exchange_code(const domain::field_values& credentials,
                                                            const std::string& code,
                                                            const std::string& redirect_uri) {
  const auto client_id = trimmed(credentials, client_id_field);
  const auto client_secret = trimmed(credentials, client_secret_field);
  if (client_id.empty() || client_secret.empty() || code.empty()) {
    return call_error{failure_kind::permanent, 0,
                      "A Huggy code exchange needs the code, client_id and client_secret",
                      std::nullopt};
  }
  try {
    auto redeemed = request_tokens(environment_,
                                   {{"grant_type", "authorization_code"},
                                    {"code", code},
                                    {"client_id", client_id},
                                    {"client_secret", client_secret},
                                    {"redirect_uri", redirect_uri}},
                                   credentials);
    if (auto* failed = std::get_if<call_error>(&redeemed)) redact(*failed, credentials);
    return redeemed;
  } catch (const std::exception& e) {
    return call_error{failure_kind::permanent, 0,
                      std::string{"The Huggy code exchange failed: "} + e.what(), std::nullopt};
  }
}

std::unique_ptr<providers::oauth_flow> make_oauth_flow(const connector_environment& environment) {
  return std::make_unique<oauth_flow>(environment);
}

}  // namespace schedulerd::providers::huggy
