#pragma once

#include "config/service_config.hpp"
#include "tests/support/fake_oauth_controls.hpp"
#include "tests/support/fake_oauth_grants.hpp"
#include "tests/support/fake_server.hpp"

#include <chrono>
#include <string>

namespace schedulerd::testing {

/// A Google account as the userinfo endpoint describes it.
struct google_user {
  std::string email = "ada.lovelace@example.com";
  bool email_verified = true;
  std::string subject = "108349027582317865442";
  std::string name = "Ada Lovelace";
};

/// The endpoints of the fake Google a failure can be injected into.
enum class google_endpoint { authorize, token, userinfo };

/// A fake Google OAuth 2.0 / OpenID Connect provider on loopback, answering like the real one.
///
/// Endpoints: GET /o/oauth2/v2/auth (the consent page; approves at once and redirects),
/// POST /token and GET /v1/userinfo, with Google's error bodies and statuses. Unlike Google it
/// insists on PKCE, so a login flow that forgets it fails here.
class fake_google : public fake_oauth_controls<google_user, google_endpoint> {
 public:
  /// The endpoints a failure can be injected into.
  using endpoint = google_endpoint;

  /// The only client the fake knows.
  static constexpr const char* client_id = "fake-client-1.apps.googleusercontent.com";

  /// That client's secret.
  static constexpr const char* client_secret = "GOCSPX-fake-google-secret";

  /// Starts the fake on a free loopback port.
  fake_google();

  /// The fake's root URL, without a trailing slash.
  [[nodiscard]] std::string base_url() const;

  /// Provider settings pointing every URL at the fake, with its client id and secret.
  [[nodiscard]] config::oauth_provider settings() const;

  /// Simulates the user approving at the authorize page: returns the code the provider would
  /// append to the redirect.
  std::string approve(const std::string& email, bool verified, const std::string& code_challenge,
                      const std::string& redirect_uri,
                      std::string subject = "108349027582317865442",
                      std::string name = "Ada Lovelace");

  /// Delays every answer by `delay`.
  void set_latency(std::chrono::milliseconds delay);

  /// The underlying server, to inspect the requests it received.
  [[nodiscard]] fake_server& server() { return server_; }

 private:
  http::response authorize(const http::request& request);
  http::response token(const http::request& request);
  [[nodiscard]] http::response userinfo(const http::request& request) const;

  oauth_grants grants_{"4/0Ad", "ya29.a0Ad"};
  fake_server server_;  // last: its threads stop before the state their handlers use goes away
};

}  // namespace schedulerd::testing
