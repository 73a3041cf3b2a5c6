#include "tests/support/api_fixture.hpp"
#include "tests/support/directory_view.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/huggy_api.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;
using testing::directory_view;
using testing::fake_huggy;

namespace {

struct two_users {
  fake_huggy huggy;
  api_fixture api;
  std::string ana = api.register_user("ana@example.com");
  std::string bia = api.register_user("bia@example.com");

  explicit two_users(std::chrono::milliseconds idle_timeout = std::chrono::minutes{10})
      : api{"sqlite", testing::pointed_at(huggy), [idle_timeout](app::service_options& options) {
              options.connector_idle_timeout = idle_timeout;
            }} {}

  std::string connect(const std::string& token) { return testing::connect_huggy(api, token); }

  int test(const std::string& token, const std::string& id) {
    return api.call("POST", "/api/providers/" + id + "/test-connection", nullptr, token).status;
  }
};

}  // namespace

TEST_CASE("a crashed connector is replaced on the next call and no other user notices",
          "[http][providers][supervision]") {
  two_users users;
  auto ana_connection = users.connect(users.ana);
  auto bia_connection = users.connect(users.bia);
  directory_view directory{users.api.service()};
  const auto ana_name = "engine.connectors." + ana_connection;
  const auto bia_name = "engine.connectors." + bia_connection;
  REQUIRE(directory.find(ana_name));
  CHECK(directory.find(ana_name)->kind == "connector");
  CHECK(directory.find(ana_name)->alive);

  directory.kill(ana_name);
  CHECK(testing::eventually([&] { return !directory.find(ana_name)->alive; }));
  // Bia's connector never stopped; Ana's next call starts a fresh one that counts the crash.
  CHECK(directory.find(bia_name)->alive);
  CHECK(users.test(users.bia, bia_connection) == 200);
  CHECK(users.test(users.ana, ana_connection) == 200);
  CHECK(directory.find(ana_name)->alive);
  CHECK(directory.find(ana_name)->restarts == 1);
  CHECK(directory.find(bia_name)->restarts == 0);
  CHECK(users.api.log_text().find("connector_crashed") != std::string::npos);
}

TEST_CASE("a deleted connection's connector stops", "[http][providers][supervision]") {
  two_users users;
  auto id = users.connect(users.ana);
  directory_view directory{users.api.service()};
  REQUIRE(directory.find("engine.connectors." + id)->alive);
  REQUIRE(users.api.call("DELETE", "/api/providers/" + id, nullptr, users.ana).status == 204);
  CHECK(testing::eventually([&] { return !directory.find("engine.connectors." + id)->alive; }));
}

TEST_CASE("an idle connector stops and starts again when needed",
          "[http][providers][supervision]") {
  two_users users{std::chrono::milliseconds{50}};
  auto id = users.connect(users.ana);
  directory_view directory{users.api.service()};
  CHECK(testing::eventually([&] { return !directory.find("engine.connectors." + id)->alive; }));
  CHECK(users.test(users.ana, id) == 200);
  CHECK(directory.find("engine.connectors." + id)->restarts == 0);
}
