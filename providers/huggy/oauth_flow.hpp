#pragma once

#include "providers/connector.hpp"

#include <memory>
#include <string>

namespace schedulerd::providers::huggy {

/// The scopes the service asks for: the only two Huggy documents (they reach contacts, chats and
/// flows in practice).
inline constexpr const char* oauth_scopes = "install_app read_agent_profile";

/// Huggy's OAuth authorization-code flow, through the Huggy app named in the credentials.
class oauth_flow final : public providers::oauth_flow {
 public:
  /// A flow against `environment`'s auth server.
  explicit oauth_flow(connector_environment environment);

  /// `{auth_base_url}/oauth/authorize?scope=...&response_type=code&redirect_uri=...&client_id=...
  /// &state=...`, every value URL-encoded.
  [[nodiscard]] std::string authorize_url(const domain::field_values& credentials,
                                          const std::string& redirect_uri,
                                          const std::string& state) const override;

  /// `POST {auth_base_url}/oauth/access_token` with the authorization_code grant; a refused code
  /// or client rejects the credentials.
  call_result<domain::field_values> exchange_code(const domain::field_values& credentials,
                                                  const std::string& code,
                                                  const std::string& redirect_uri) override;

 private:
  connector_environment environment_;
};

/// Builds Huggy's OAuth flow (the provider type's `make_oauth_flow`).
std::unique_ptr<providers::oauth_flow> make_oauth_flow(const connector_environment& environment);

}  // namespace schedulerd::providers::huggy
