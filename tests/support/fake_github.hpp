#pragma once

#include "config/service_config.hpp"
#include "tests/support/fake_oauth_controls.hpp"
#include "tests/support/fake_oauth_grants.hpp"
#include "tests/support/fake_server.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// One entry of GitHub's `GET /user/emails`.
struct github_email {
  std::string email;
  bool primary = false;
  bool verified = false;
  /// "public" or "private"; empty is sent as null (GitHub's value for the noreply address).
  std::string visibility;
};

/// A GitHub account as `/user` and `/user/emails` describe it; `subject` is the numeric id.
struct github_user {
  std::string subject = "583231";
  std::string login = "octocat";
  std::string name = "The Octocat";
  std::vector<github_email> emails;
};

/// An account whose primary address is `email`, verified or not, plus the verified noreply
/// address every GitHub account has.
github_user make_github_user(const std::string& email, bool verified,
                             std::string subject = "583231", std::string name = "The Octocat");

/// The endpoints of the fake GitHub a failure can be injected into.
enum class github_endpoint { authorize, token, user, emails };

/// A fake GitHub OAuth app provider and REST API on loopback, answering like the real ones.
///
/// Endpoints: GET /login/oauth/authorize (approves at once and redirects), POST
/// /login/oauth/access_token (errors as HTTP 200 with an `error` member; form-encoded unless
/// asked for JSON), and under /api/v3: GET /user and /user/emails (which needs a User-Agent and
/// a token with the user:email scope). Unlike GitHub it insists on PKCE.
class fake_github : public fake_oauth_controls<github_user, github_endpoint> {
 public:
  /// The endpoints a failure can be injected into.
  using endpoint = github_endpoint;

  /// The only client the fake knows.
  static constexpr const char* client_id = "Iv1.fakegithubclient";

  /// That client's secret.
  static constexpr const char* client_secret = "fake-github-secret-0123456789abcdef";

  /// Starts the fake on a free loopback port.
  fake_github();

  /// The fake's root URL, without a trailing slash.
  [[nodiscard]] std::string base_url() const;

  /// Provider settings pointing every URL at the fake, with its client id and secret.
  [[nodiscard]] config::oauth_provider settings() const;

  /// Simulates the user approving at the authorize page: returns the code the provider would
  /// append to the redirect. The account is `make_github_user(email, verified, subject, name)`.
  std::string approve(const std::string& email, bool verified, const std::string& code_challenge,
                      const std::string& redirect_uri, std::string subject = "583231",
                      std::string name = "The Octocat");

  /// Same, for an account with exactly the given `/user/emails`.
  std::string approve(const github_user& user, const std::string& code_challenge,
                      const std::string& redirect_uri);

  /// Delays every answer by `delay`.
  void set_latency(std::chrono::milliseconds delay);

  /// The underlying server, to inspect the requests it received.
  [[nodiscard]] fake_server& server() { return server_; }

 private:
  http::response authorize(const http::request& request);
  http::response token(const http::request& request);
  [[nodiscard]] http::response api(const http::request& request, endpoint which) const;

  oauth_grants grants_{"", "gho_"};
  fake_server server_;  // last: its threads stop before the state their handlers use goes away
};

}  // namespace schedulerd::testing
