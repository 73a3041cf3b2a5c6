#include "providers/oauth/github.hpp"

#include "domain/ascii_text.hpp"
#include "providers/oauth/json_call.hpp"

#include <cstdint>

namespace schedulerd::providers::oauth {

namespace {

constexpr std::string_view github_name = "GitHub";

// GitHub refuses API calls without a User-Agent (403), so every request names the service.
constexpr const char* user_agent = "schedulerd";

domain::outcome<std::string> redeem_github_code(const config::oauth_provider& settings,
                                                const std::string& code,
                                                const std::string& code_verifier,
                                                const std::string& redirect_uri,
                                                std::chrono::milliseconds timeout) {
  // Without Accept: application/json (which the request carries) GitHub answers form-encoded.
  auto request = code_redemption_request(settings, code, code_verifier, redirect_uri, timeout);
  request.headers.emplace_back("User-Agent", user_agent);
  auto reply = call_json(request, github_name);
  if (!reply) {
    return std::move(reply.error());
  }
  auto& [status, body] = *reply;
  if (status != 200) {
    return domain::failure{domain::errc::upstream_failed,
                           "GitHub refused the token request with HTTP " + std::to_string(status)};
  }
  // GitHub reports OAuth errors with HTTP 200 and an `error` member.
  const std::string error = string_field(body, "error");
  if (error == "bad_verification_code" || error == "invalid_grant") {
    return domain::failure{domain::errc::bad_request,
                           "GitHub rejected the authorization code: it is unknown, already used or "
                           "expired, or the PKCE verifier does not match"};
  }
  if (!error.empty()) {
    return domain::failure{domain::errc::upstream_failed,
                           "GitHub refused the token request (" + error + ")"};
  }
  std::string token = string_field(body, "access_token");
  if (token.empty()) {
    return domain::failure{domain::errc::upstream_failed,
                           "GitHub's token answer carries no access_token"};
  }
  return token;
}

domain::outcome<nlohmann::json> get_api(const config::oauth_provider& settings,
                                        const std::string& path, const std::string& access_token,
                                        std::chrono::milliseconds timeout) {
  outbound_request request;
  std::string base = settings.api_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  request.url = base + path;
  request.timeout = timeout;
  request.headers = {{"Authorization", "Bearer " + access_token},
                     {"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"},
                     {"User-Agent", user_agent}};
  auto reply = call_json(request, github_name);
  if (!reply) {
    return std::move(reply.error());
  }
  auto& [status, body] = *reply;
  if (status != 200) {
    return domain::failure{domain::errc::upstream_failed, "GitHub's " + path + " answered HTTP " +
                                                              std::to_string(status) + " " +
                                                              string_field(body, "message")};
  }
  return std::move(body);
}

// Only the primary address counts: it is where GitHub sends mail, and a verified secondary one
// (every account has a verified noreply address) says nothing about the address users know.
void pick_email(const nlohmann::json& emails, oauth_identity& identity) {
  for (const auto& entry : emails) {
    if (true_field(entry, "primary")) {
      identity.email = domain::ascii_lower(string_field(entry, "email"));
      identity.email_verified = !identity.email.empty() && true_field(entry, "verified");
      return;
    }
  }
}

}  // namespace

domain::outcome<oauth_identity> fetch_github_identity(const config::oauth_provider& settings,
                                                      const std::string& code,
                                                      const std::string& code_verifier,
                                                      const std::string& redirect_uri,
                                                      std::chrono::milliseconds timeout) {
  auto token = redeem_github_code(settings, code, code_verifier, redirect_uri, timeout);
  if (!token) {
    return std::move(token.error());
  }
  auto user = get_api(settings, "/user", *token, timeout);
  if (!user) {
    return std::move(user.error());
  }
  const auto id = user->find("id");  // end() for anything but an object
  if (id == user->end() || !id->is_number_integer()) {
    return domain::failure{domain::errc::upstream_failed, "GitHub's /user carries no numeric id"};
  }
  oauth_identity identity;
  identity.subject = std::to_string(id->get<std::int64_t>());
  identity.name = string_field(*user, "name");
  if (identity.name.empty()) {
    identity.name = string_field(*user, "login");
  }
  auto emails = get_api(settings, "/user/emails", *token, timeout);
  if (!emails) {
    return std::move(emails.error());
  }
  if (!emails->is_array()) {
    return domain::failure{domain::errc::upstream_failed, "GitHub's /user/emails is not a list"};
  }
  pick_email(*emails, identity);
  if (identity.email.empty()) {
    // No primary entry at all: fall back to the public profile address, never trusted as verified.
    identity.email = domain::ascii_lower(string_field(*user, "email"));
  }
  return identity;
}

}  // namespace schedulerd::providers::oauth
