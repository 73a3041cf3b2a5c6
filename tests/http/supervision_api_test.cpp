#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "app/service.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/directory_view.hpp"
#include "tests/support/polling.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

using namespace schedulerd;
using namespace std::chrono_literals;

using testing::directory_view;

TEST_CASE("the directory lists every long-lived actor with its kind and mailbox", "[http]") {
  testing::api_fixture api;
  directory_view service{api.service()};
  for (const auto* name :
       {"core", "http", "core.db_pool", "core.db_pool.worker.1", "core.blocking_pool.worker.0",
        "core.sessions", "core.authenticator", "core.rate_limiter", "http.auth", "http.health"}) {
    INFO(name);
    REQUIRE(testing::eventually([&] { return service.find(name).has_value(); }));
    CHECK(service.find(name)->alive);
  }
  CHECK(service.find("core.db_pool")->kind == "pool");
  CHECK(service.find("core.db_pool")->mailbox >= 0);
  CHECK(service.find("http.auth")->kind == "handler");
}

TEST_CASE("a database worker killed under load leaves the service answering at full size",
          "[http]") {
  testing::api_fixture api;
  directory_view service{api.service()};
  static_cast<void>(api.register_user("ada@example.com"));
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::thread load([&] {
    for (int i = 0; i < 40; ++i) {
      auto res = api.call("POST", "/api/auth/login",
                          {{"email", "ada@example.com"}, {"password", "correct horse"}});
      if (res.status != 200) {
        ++failed;
      }
      ++answered;
    }
  });
  REQUIRE(testing::eventually([&] { return answered >= 5; }));
  service.kill("core.db_pool.worker.0");
  REQUIRE(testing::eventually([&] { return answered >= 20; }));
  service.kill("core.db_pool.worker.1");
  load.join();
  CHECK(failed == 0);
  CHECK(testing::eventually([&] {
    auto first = service.find("core.db_pool.worker.0");
    auto second = service.find("core.db_pool.worker.1");
    return first && second && first->alive && second->alive && first->restarts == 1 &&
           second->restarts == 1;
  }));
  CHECK(api.call("GET", "/api/health").status == 200);
}

TEST_CASE("the session registry and the authenticator killed, the service keeps answering",
          "[http]") {
  testing::api_fixture api;
  directory_view service{api.service()};
  auto token = api.register_user("ada@example.com");
  service.kill("core.sessions");
  service.kill("core.authenticator");
  // Requests reach the new incarnations through the same stable handles.
  CHECK(testing::eventually(
      [&] { return api.call("GET", "/api/auth/me", nullptr, token).status == 200; }));
  CHECK(testing::eventually([&] {
    return api.call("POST", "/api/auth/tokens", {{"name", "ci"}}, token).status == 201;
  }));
  CHECK(service.find("core.sessions")->restarts == 1);
  CHECK(service.find("core.authenticator")->restarts == 1);
}

TEST_CASE("stopping the service writes the last use of a token not flushed yet", "[http]") {
  testing::api_fixture api{
      "sqlite", {}, [](app::service_options& options) { options.token_flush_every = 1h; }};
  auto token = api.register_user("ada@example.com");
  REQUIRE(api.call("GET", "/api/auth/me", nullptr, token).status == 200);
  api.service().stop(1s);
  auto db = api.database().connect();
  auto rows = db->execute("SELECT last_used_at FROM api_tokens").rows;
  REQUIRE(rows.size() == 1);
  CHECK(std::holds_alternative<std::int64_t>(rows.at(0).at(0)));
}

TEST_CASE("the use-case actors are supervised: killed, they come back behind the same handles",
          "[http]") {
  testing::api_fixture api;
  directory_view service{api.service()};
  for (const auto* name :
       {"services", "services.accounts", "services.tokens", "services.oauth_sign_in"}) {
    INFO(name);
    REQUIRE(testing::eventually([&] { return service.find(name).has_value(); }));
    CHECK(service.find(name)->alive);
  }
  CHECK(service.find("services.accounts")->kind == "service");
  auto token = api.register_user("ada@example.com");
  service.kill("services.accounts");
  service.kill("services.tokens");
  CHECK(testing::eventually(
      [&] { return api.call("GET", "/api/auth/me", nullptr, token).status == 200; }));
  CHECK(testing::eventually([&] {
    return api.call("POST", "/api/auth/tokens", {{"name", "ci"}}, token).status == 201;
  }));
  CHECK(service.find("services.accounts")->restarts == 1);
  CHECK(service.find("services.tokens")->restarts == 1);
}

TEST_CASE("a supervisor whose child keeps dying gives up and asks for the process to stop",
          "[http][supervision]") {
  std::atomic<int> reports{0};
  testing::api_fixture api{"sqlite", {}, [&reports](app::service_options& options) {
                             options.on_gave_up = [&reports] { ++reports; };
                           }};
  directory_view service{api.service()};
  auto sessions_alive_after = [&service](std::int64_t restarts) {
    auto sessions = service.find("core.sessions");
    return sessions && sessions->alive && sessions->restarts == restarts;
  };
  REQUIRE(testing::eventually([&] { return sessions_alive_after(0); }));
  // Five restarts within the supervisor's period are its budget.
  for (std::int64_t restarts = 1; restarts <= 5; ++restarts) {
    service.kill("core.sessions");
    REQUIRE(testing::eventually([&] { return sessions_alive_after(restarts); }));
  }
  CHECK(reports == 0);
  CHECK_FALSE(api.service().gave_up());

  service.kill("core.sessions");
  CHECK(testing::eventually([&] { return reports == 1; }));
  CHECK(api.service().gave_up());
  CHECK(api.log_text().find(R"("event":"supervisor_escalated")") != std::string::npos);
}
