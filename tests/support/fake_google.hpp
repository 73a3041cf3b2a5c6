#pragma once

#include "config/service_config.hpp"
#include "tests/support/fake_oauth_grants.hpp"
#include "tests/support/fake_server.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace schedulerd::testing {

/// A Google account as the userinfo endpoint describes it.
struct google_user {
  std::string email = "ada.lovelace@example.com";
  bool email_verified = true;
  std::string subject = "108349027582317865442";
  std::string name = "Ada Lovelace";
};

/// A fake Google OAuth 2.0 / OpenID Connect provider on loopback, answering like the real one.
///
/// Endpoints: GET /o/oauth2/v2/auth (the consent page; approves at once and redirects),
/// POST /token and GET /v1/userinfo, with Google's error bodies and statuses. Unlike Google it
/// insists on PKCE, so a login flow that forgets it fails here.
class fake_google {
 public:
  /// The endpoints a failure can be injected into.
  enum class endpoint { authorize, token, userinfo };

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

  /// Sets who is signed in at the authorize page, i.e. whom a browser visit approves.
  void sign_in_as(google_user user);

  /// Makes the authorize page redirect with error=access_denied, as when the user cancels.
  void deny_consent(bool deny);

  /// The decoded query parameters of the last visit to the authorize page (empty before any).
  [[nodiscard]] std::map<std::string, std::string> authorize_params() const;

  /// Makes `which` answer `status` with `body` instead of working, until `recover()`.
  void fail(endpoint which, int status,
            std::string body = "<html><body>Service Unavailable</body></html>",
            std::string content_type = "text/html; charset=UTF-8");

  /// Undoes every `fail()`.
  void recover();

  /// Delays every answer by `delay`.
  void set_latency(std::chrono::milliseconds delay);

  /// The underlying server, to inspect the requests it received.
  [[nodiscard]] fake_server& server() { return server_; }

 private:
  [[nodiscard]] std::optional<http::response> injected(endpoint which) const;
  http::response authorize(const http::request& request);
  http::response token(const http::request& request);
  [[nodiscard]] http::response userinfo(const http::request& request) const;

  oauth_grants grants_{"4/0Ad", "ya29.a0Ad"};
  mutable std::mutex mutex_;
  google_user signed_in_;
  bool deny_ = false;
  std::map<std::string, std::string> authorize_params_;
  std::map<endpoint, http::response> failures_;
  fake_server server_;  // last: its threads stop before the state their handlers use goes away
};

}  // namespace schedulerd::testing
