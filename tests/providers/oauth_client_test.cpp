#include "providers/oauth/oauth_client.hpp"

#include "domain/outcome.hpp"
#include "providers/http_client.hpp"
#include "tests/support/fake_github.hpp"
#include "tests/support/fake_google.hpp"
#include "tests/support/fake_oauth_grants.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>

using namespace std::chrono_literals;
using schedulerd::domain::errc;
using schedulerd::providers::fetch_identity;
using schedulerd::providers::oauth_identity;
using schedulerd::providers::oauth_provider_kind;
using schedulerd::testing::fake_github;
using schedulerd::testing::fake_google;
using schedulerd::testing::follow_consent;
using schedulerd::testing::parse_form;
using schedulerd::testing::pkce_s256;

namespace {

const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string google_callback = "http://127.0.0.1:8080/api/auth/oauth/google/callback";

errc code_of(const schedulerd::domain::outcome<oauth_identity>& result) {
  REQUIRE_FALSE(result);
  return result.error().code;
}

// What a browser does with the authorize URL: the fake approves at once and redirects back.
std::map<std::string, std::string> visit_google(const std::string& url) {
  const auto location = follow_consent(url);
  REQUIRE(location.rfind(google_callback + "?", 0) == 0);
  return parse_form(location.substr(google_callback.size() + 1));
}

}  // namespace

TEST_CASE("the PKCE challenge the fakes check is RFC 7636's S256", "[providers][oauth]") {
  CHECK(pkce_s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("the authorize URL carries every parameter of a PKCE login", "[providers][oauth]") {
  schedulerd::config::oauth_provider settings{"my client", "secret",
                                              "https://login.example/auth?tenant=1", "", ""};

  SECTION("Google") {
    const auto url = authorize_url(oauth_provider_kind::google, settings, google_callback,
                                   "st&te=1", pkce_s256(verifier));
    REQUIRE(url.rfind("https://login.example/auth?tenant=1&", 0) == 0);
    const auto params = parse_form(url.substr(url.find('?') + 1));
    CHECK(params == std::map<std::string, std::string>{{"tenant", "1"},
                                                       {"response_type", "code"},
                                                       {"client_id", "my client"},
                                                       {"redirect_uri", google_callback},
                                                       {"scope", "openid email profile"},
                                                       {"state", "st&te=1"},
                                                       {"code_challenge", pkce_s256(verifier)},
                                                       {"code_challenge_method", "S256"},
                                                       {"access_type", "online"},
                                                       {"prompt", "select_account"}});
  }
  SECTION("GitHub") {
    settings.authorize_url = "https://github.example/login/oauth/authorize";
    const auto url = authorize_url(oauth_provider_kind::github, settings, google_callback, "s1",
                                   pkce_s256(verifier));
    REQUIRE(url.rfind(settings.authorize_url + "?", 0) == 0);
    const auto params = parse_form(url.substr(url.find('?') + 1));
    CHECK(params == std::map<std::string, std::string>{{"response_type", "code"},
                                                       {"client_id", "my client"},
                                                       {"redirect_uri", google_callback},
                                                       {"scope", "read:user user:email"},
                                                       {"state", "s1"},
                                                       {"code_challenge", pkce_s256(verifier)},
                                                       {"code_challenge_method", "S256"}});
  }
}

TEST_CASE("a Google login through the authorize page yields the verified identity",
          "[providers][oauth]") {
  fake_google google;
  google.sign_in_as({"Ada.Lovelace@Example.COM", true, "1083490275", "Ada Lovelace"});

  const auto url = authorize_url(oauth_provider_kind::google, google.settings(), google_callback,
                                 "state-123", pkce_s256(verifier));
  const auto redirect = visit_google(url);
  CHECK(redirect.at("state") == "state-123");
  CHECK(google.authorize_params().at("code_challenge") == pkce_s256(verifier));

  const auto identity = fetch_identity(oauth_provider_kind::google, google.settings(),
                                       redirect.at("code"), verifier, google_callback);

  REQUIRE(identity);
  CHECK(identity->subject == "1083490275");
  CHECK(identity->email == "ada.lovelace@example.com");
  CHECK(identity->email_verified);
  CHECK(identity->name == "Ada Lovelace");
}

TEST_CASE("an unverified Google email comes back marked unverified", "[providers][oauth]") {
  fake_google google;
  const auto code = google.approve("eve@example.com", false, pkce_s256(verifier), google_callback);

  const auto identity = fetch_identity(oauth_provider_kind::google, google.settings(), code,
                                       verifier, google_callback);

  REQUIRE(identity);
  CHECK(identity->email == "eve@example.com");
  CHECK_FALSE(identity->email_verified);
}

TEST_CASE("a Google code works once; reusing it is a bad request", "[providers][oauth]") {
  fake_google google;
  const auto code = google.approve("ada@example.com", true, pkce_s256(verifier), google_callback);
  const auto settings = google.settings();

  REQUIRE(fetch_identity(oauth_provider_kind::google, settings, code, verifier, google_callback));
  const auto again =
      fetch_identity(oauth_provider_kind::google, settings, code, verifier, google_callback);

  CHECK(code_of(again) == errc::bad_request);
}

TEST_CASE("a wrong PKCE verifier is a bad request at both providers", "[providers][oauth]") {
  const std::string wrong = "another-verifier-of-a-different-login-attempt-000";

  SECTION("Google") {
    fake_google google;
    const auto code = google.approve("ada@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::google, google.settings(), code, wrong,
                                 google_callback)) == errc::bad_request);
    // Only the verifier was wrong: the right one still redeems the code.
    CHECK(fetch_identity(oauth_provider_kind::google, google.settings(), code, verifier,
                         google_callback));
  }
  SECTION("GitHub") {
    fake_github github;
    const auto code =
        github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::github, github.settings(), code, wrong,
                                 google_callback)) == errc::bad_request);
  }
}

TEST_CASE("a wrong client secret fails the login as an upstream failure", "[providers][oauth]") {
  SECTION("Google answers 401 invalid_client") {
    fake_google google;
    auto settings = google.settings();
    settings.client_secret = "not-the-secret";
    const auto code = google.approve("ada@example.com", true, pkce_s256(verifier), google_callback);
    const auto result =
        fetch_identity(oauth_provider_kind::google, settings, code, verifier, google_callback);
    CHECK(code_of(result) == errc::upstream_failed);
    CHECK_THAT(result.error().message, Catch::Contains("invalid_client"));
  }
  SECTION("GitHub answers 200 incorrect_client_credentials") {
    fake_github github;
    auto settings = github.settings();
    settings.client_secret = "not-the-secret";
    const auto code =
        github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
    const auto result =
        fetch_identity(oauth_provider_kind::github, settings, code, verifier, google_callback);
    CHECK(code_of(result) == errc::upstream_failed);
    CHECK_THAT(result.error().message, Catch::Contains("incorrect_client_credentials"));
  }
}

TEST_CASE("a GitHub login picks the primary verified address from /user/emails",
          "[providers][oauth]") {
  fake_github github;
  schedulerd::testing::github_user user;
  user.subject = "9001";
  user.name = "";  // GitHub sends null for users without a display name: the login stands in
  user.emails = {{"old@example.com", false, true, "private"},
                 {"Octo@Example.com", true, true, "private"},
                 {"9001+octocat@users.noreply.github.com", false, true, ""}};
  github.sign_in_as(user);

  const auto url = authorize_url(oauth_provider_kind::github, github.settings(), google_callback,
                                 "gh-state", pkce_s256(verifier));
  const auto redirect = visit_google(url);
  CHECK(redirect.at("state") == "gh-state");

  const auto identity = fetch_identity(oauth_provider_kind::github, github.settings(),
                                       redirect.at("code"), verifier, google_callback);

  REQUIRE(identity);
  CHECK(identity->subject == "9001");
  CHECK(identity->email == "octo@example.com");
  CHECK(identity->email_verified);
  CHECK(identity->name == "octocat");
}

TEST_CASE("a GitHub account without a verified primary address comes back unverified",
          "[providers][oauth]") {
  fake_github github;
  // The account still has GitHub's verified noreply address, which must not stand in for it.
  const auto code = github.approve("new@example.com", false, pkce_s256(verifier), google_callback);

  const auto identity = fetch_identity(oauth_provider_kind::github, github.settings(), code,
                                       verifier, google_callback);

  REQUIRE(identity);
  CHECK(identity->subject == "583231");
  CHECK(identity->email == "new@example.com");
  CHECK_FALSE(identity->email_verified);
}

TEST_CASE("GitHub's HTTP 200 bad_verification_code answer is a bad request", "[providers][oauth]") {
  fake_github github;
  const auto settings = github.settings();
  const auto code = github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
  REQUIRE(fetch_identity(oauth_provider_kind::github, settings, code, verifier, google_callback));

  CHECK(code_of(fetch_identity(oauth_provider_kind::github, settings, code, verifier,
                               google_callback)) == errc::bad_request);
  CHECK(code_of(fetch_identity(oauth_provider_kind::github, settings, "made-up-code", verifier,
                               google_callback)) == errc::bad_request);
}

TEST_CASE("an unreachable, failing or slow provider is an upstream failure", "[providers][oauth]") {
  SECTION("the provider is down") {
    auto google = std::make_unique<fake_google>();
    const auto settings = google->settings();
    const auto code =
        google->approve("ada@example.com", true, pkce_s256(verifier), google_callback);
    google.reset();
    CHECK(code_of(fetch_identity(oauth_provider_kind::google, settings, code, verifier,
                                 google_callback)) == errc::upstream_failed);
  }
  SECTION("the token endpoint answers 503") {
    fake_github github;
    github.fail(fake_github::endpoint::token, 503);
    const auto code =
        github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::github, github.settings(), code, verifier,
                                 google_callback)) == errc::upstream_failed);
  }
  SECTION("the token endpoint answers too late") {
    fake_github github;
    github.set_latency(2s);
    const auto code =
        github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::github, github.settings(), code, verifier,
                                 google_callback, 200ms)) == errc::upstream_failed);
  }
}

TEST_CASE("malformed JSON from a provider is an upstream failure", "[providers][oauth]") {
  SECTION("Google's userinfo") {
    fake_google google;
    google.fail(fake_google::endpoint::userinfo, 200, R"({"sub": "1", "email": )",
                "application/json");
    const auto code = google.approve("ada@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::google, google.settings(), code, verifier,
                                 google_callback)) == errc::upstream_failed);
  }
  SECTION("GitHub's /user/emails") {
    fake_github github;
    github.fail(fake_github::endpoint::emails, 200, R"([{"email": "octo@example.com",)",
                "application/json");
    const auto code =
        github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::github, github.settings(), code, verifier,
                                 google_callback)) == errc::upstream_failed);
  }
  SECTION("GitHub's /user without a numeric id") {
    fake_github github;
    github.fail(fake_github::endpoint::user, 200, R"({"id": "583231", "login": "octocat"})",
                "application/json");
    const auto code =
        github.approve("octo@example.com", true, pkce_s256(verifier), google_callback);
    CHECK(code_of(fetch_identity(oauth_provider_kind::github, github.settings(), code, verifier,
                                 google_callback)) == errc::upstream_failed);
  }
}

TEST_CASE("a user who cancels at the provider is sent back with access_denied",
          "[providers][oauth]") {
  fake_google google;
  google.deny_consent(true);
  const auto redirect = visit_google(authorize_url(oauth_provider_kind::google, google.settings(),
                                                   google_callback, "s", pkce_s256(verifier)));
  CHECK(redirect.at("error") == "access_denied");
  CHECK(redirect.at("state") == "s");
  CHECK_FALSE(redirect.contains("code"));
}
