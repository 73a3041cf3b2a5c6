#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_github.hpp"
#include "tests/support/fake_google.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <memory>
#include <vector>

using namespace schedulerd;
using testing::body_of;

namespace {

// Starts a Google login and approves it: returns the callback path the browser would follow.
std::string approved_callback(testing::api_fixture& api) {
  auto start = api.call("GET", "/api/auth/oauth/google?mode=json");
  REQUIRE(start.status == 200);
  auto consent = testing::get(body_of(start)["url"].get<std::string>());
  REQUIRE(consent.status == 302);
  auto location = std::string{consent.header("location").value_or("")};
  return location.substr(location.find("/api/auth/oauth/"));
}

std::size_t token_requests(testing::fake_google& google) {
  const auto seen = google.server().requests();
  return static_cast<std::size_t>(std::count_if(seen.begin(), seen.end(), [](const auto& request) {
    return request.method == "POST" && request.path == "/token";
  }));
}

}  // namespace

TEST_CASE("a password login answers promptly while two OAuth logins wait on a hung provider",
          "[http][oauth][capacity]") {
  auto google = std::make_unique<testing::fake_google>();
  testing::fake_github github;
  testing::api_fixture api{"sqlite", [&](config::service_config& settings) {
                             settings.google = google->settings();
                             settings.github = github.settings();
                           }};
  api.register_user("ada@example.com", "correct horse");
  const std::vector<std::string> callbacks{approved_callback(api), approved_callback(api)};

  // The token endpoint now takes a minute: each callback holds an outbound worker for its whole
  // timeout, as many as the old shared pool had workers.
  google->set_latency(std::chrono::minutes{1});
  std::vector<std::future<providers::outbound_response>> stuck;
  stuck.reserve(callbacks.size());
  for (const auto& path : callbacks) {
    stuck.push_back(std::async(std::launch::async, [&api, path] { return api.call("GET", path); }));
  }
  REQUIRE(testing::eventually([&] { return token_requests(*google) == callbacks.size(); }));

  const auto started = std::chrono::steady_clock::now();
  auto login = api.call("POST", "/api/auth/login",
                        {{"email", "ada@example.com"}, {"password", "correct horse"}});
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(login.status == 200);
  // A login queued behind the hung calls would wait their minute; argon2id alone takes well under
  // a second, several under the ASan stage's load.
  CHECK(took < std::chrono::seconds{10});

  // Stopping the provider drops the hung connections: the callbacks end as upstream failures.
  google.reset();
  for (auto& callback : stuck) {
    auto answer = callback.get();
    CHECK(answer.status == 502);
    CHECK(body_of(answer)["error"]["code"] == "upstream_failed");
  }
}
