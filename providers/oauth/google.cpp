#include "providers/oauth/google.hpp"

#include "domain/ascii_text.hpp"
#include "providers/oauth/json_call.hpp"

namespace schedulerd::providers::oauth {

namespace {

constexpr std::string_view google_name = "Google";

domain::outcome<std::string> redeem_google_code(const config::oauth_provider& settings,
                                                const std::string& code,
                                                const std::string& code_verifier,
                                                const std::string& redirect_uri,
                                                std::chrono::milliseconds timeout) {
  auto reply = call_json(
      code_redemption_request(settings, code, code_verifier, redirect_uri, timeout), google_name);
  if (!reply) {
    return std::move(reply.error());
  }
  auto& [status, body] = *reply;
  if (status != 200) {
    const std::string error = string_field(body, "error");
    // invalid_grant is the one answer the user can cause (a stale, reused or forged code, or a
    // verifier from another login); everything else means our request or configuration is wrong.
    if (error == "invalid_grant") {
      return domain::failure{
          domain::errc::bad_request,
          "Google rejected the authorization code: it is unknown, already used or "
          "expired, or the PKCE verifier does not match"};
    }
    return domain::failure{domain::errc::upstream_failed,
                           "Google refused the token request with HTTP " + std::to_string(status) +
                               (error.empty() ? std::string{} : " (" + error + ")")};
  }
  std::string token = string_field(body, "access_token");
  if (token.empty()) {
    return domain::failure{domain::errc::upstream_failed,
                           "Google's token answer carries no access_token"};
  }
  return token;
}

domain::outcome<oauth_identity> read_userinfo(const config::oauth_provider& settings,
                                              const std::string& access_token,
                                              std::chrono::milliseconds timeout) {
  outbound_request request;
  request.url = settings.api_url;
  request.timeout = timeout;
  request.headers = {{"Authorization", "Bearer " + access_token}, {"Accept", "application/json"}};
  auto reply = call_json(request, google_name);
  if (!reply) {
    return std::move(reply.error());
  }
  auto& [status, body] = *reply;
  if (status != 200) {
    return domain::failure{domain::errc::upstream_failed,
                           "Google's userinfo answered HTTP " + std::to_string(status) +
                               " to the access token it had just issued"};
  }
  oauth_identity identity;
  identity.subject = string_field(body, "sub");
  if (identity.subject.empty()) {
    return domain::failure{domain::errc::upstream_failed, "Google's userinfo carries no subject"};
  }
  identity.email = domain::ascii_lower(string_field(body, "email"));
  identity.email_verified = !identity.email.empty() && true_field(body, "email_verified");
  identity.name = string_field(body, "name");
  return identity;
}

}  // namespace

domain::outcome<oauth_identity> fetch_google_identity(const config::oauth_provider& settings,
                                                      const std::string& code,
                                                      const std::string& code_verifier,
                                                      const std::string& redirect_uri,
                                                      std::chrono::milliseconds timeout) {
  auto token = redeem_google_code(settings, code, code_verifier, redirect_uri, timeout);
  if (!token) {
    return std::move(token.error());
  }
  return read_userinfo(settings, *token, timeout);
}

}  // namespace schedulerd::providers::oauth
