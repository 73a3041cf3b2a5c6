#include "providers/oauth/oauth_client.hpp"

#include "providers/oauth/github.hpp"
#include "providers/oauth/google.hpp"
#include "providers/oauth/json_call.hpp"

namespace schedulerd::providers {

std::string authorize_url(oauth_provider_kind kind, const config::oauth_provider& settings,
                          const std::string& redirect_uri, const std::string& state,
                          const std::string& code_challenge) {
  const bool google = kind == oauth_provider_kind::google;
  std::vector<std::pair<std::string, std::string>> fields{
      {"response_type", "code"},
      {"client_id", settings.client_id},
      {"redirect_uri", redirect_uri},
      {"scope", google ? "openid email profile" : "read:user user:email"},
      {"state", state},
      {"code_challenge", code_challenge},
      {"code_challenge_method", "S256"}};
  if (google) {
    // online: no refresh token, we only read the identity once; select_account lets a user with
    // several Google accounts choose instead of being logged in as the last one used.
    fields.emplace_back("access_type", "online");
    fields.emplace_back("prompt", "select_account");
  }
  const char separator = settings.authorize_url.find('?') == std::string::npos ? '?' : '&';
  return settings.authorize_url + separator + oauth::form_encode(fields);
}

domain::outcome<oauth_identity> fetch_identity(oauth_provider_kind kind,
                                               const config::oauth_provider& settings,
                                               const std::string& code,
                                               const std::string& code_verifier,
                                               const std::string& redirect_uri,
                                               std::chrono::milliseconds timeout) {
  // Callers run this inside an actor, where an escaping exception would kill it.
  try {
    if (!settings.enabled()) {
      return domain::failure{domain::errc::not_found, "this login provider is not configured"};
    }
    if (code.empty()) {
      return domain::failure{domain::errc::bad_request,
                             "the callback carries no authorization code"};
    }
    if (kind == oauth_provider_kind::google) {
      return oauth::fetch_google_identity(settings, code, code_verifier, redirect_uri, timeout);
    }
    return oauth::fetch_github_identity(settings, code, code_verifier, redirect_uri, timeout);
  } catch (const std::exception& e) {
    return domain::failure{
        domain::errc::upstream_failed,
        std::string{"the login provider's answer could not be read: "} + e.what()};
  } catch (...) {
    return domain::failure{domain::errc::upstream_failed,
                           "the login provider's answer could not be read"};
  }
}

}  // namespace schedulerd::providers
