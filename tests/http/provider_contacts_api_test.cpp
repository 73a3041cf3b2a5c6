#include "storage/provider_store.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/huggy_api.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;
using testing::fake_huggy;

namespace {

// A user with one working Huggy connection, on a service whose import retries come quickly.
struct connected_user {
  fake_huggy huggy;
  api_fixture api;
  std::string token;
  std::string provider;

  explicit connected_user(const std::string& backend = "sqlite")
      : api{backend, testing::pointed_at(huggy), [](app::service_options& options) {
              options.sync_retry_delay = std::chrono::milliseconds{5};
            }} {
    token = api.register_user("owner@example.com");
    provider = testing::connect_huggy(api, token);
  }

  nlohmann::json connection() {
    return body_of(api.call("GET", "/api/providers/" + provider, nullptr, token));
  }

  // Waits until the running import ended; answers the connection as it is then.
  nlohmann::json finished_import() {
    nlohmann::json now;
    CHECK(testing::eventually([&] {
      now = connection();
      return now["sync"]["status"] != "running";
    }));
    return now;
  }

  nlohmann::json contacts(const std::string& query) {
    auto res = api.call("GET", "/api/providers/" + provider + "/contacts" + query, nullptr, token);
    REQUIRE(res.status == 200);
    return body_of(res);
  }
};

}  // namespace

TEST_CASE("a contact import reads every page and shows its progress", "[http][providers][sync]") {
  for (const char* backend : {"sqlite", "postgres"}) {
    INFO("backend: " << backend);
    connected_user user{backend};
    user.huggy.set_contact_count(45);
    // Slow pages keep the import running long enough for a second request to meet it.
    user.huggy.set_latency(std::chrono::milliseconds{100});
    auto started = user.api.call("POST", "/api/providers/" + user.provider + "/sync-contacts",
                                 nullptr, user.token);
    REQUIRE(started.status == 202);
    CHECK(body_of(started)["sync"]["status"] == "running");
    CHECK_FALSE(body_of(started)["sync"]["started_at"].is_null());
    auto again = user.api.call("POST", "/api/providers/" + user.provider + "/sync-contacts",
                               nullptr, user.token);
    CHECK(again.status == 409);

    auto done = user.finished_import();
    CHECK(done["sync"]["status"] == "succeeded");
    CHECK(done["sync"]["imported"] == 45);
    CHECK(done["contacts_count"] == 45);
    CHECK_FALSE(done["contacts_synced_at"].is_null());
    // Pages 0, 1, 2 (20 + 20 + 5): the short page ends the import.
    CHECK(user.huggy.server().count("/v3/contacts") == 3);

    auto page = user.contacts("?per_page=10&page=2");
    CHECK(page["meta"]["total"] == 45);
    CHECK(page["meta"]["last_page"] == 5);
    CHECK(page["data"].size() == 10);

    // A second import updates the same contacts instead of adding copies.
    user.huggy.set_latency(std::chrono::milliseconds{0});
    REQUIRE(
        user.api
            .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
            .status == 202);
    CHECK(user.finished_import()["contacts_count"] == 45);
  }
}

TEST_CASE("an import that fails part-way keeps what it imported and says why",
          "[http][providers][sync]") {
  connected_user user;
  user.huggy.set_contact_count(100);
  user.huggy.fail_contacts_page(2, 500, fake_huggy::always);
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
          .status == 202);
  auto done = user.finished_import();
  CHECK(done["sync"]["status"] == "failed");
  CHECK(done["sync"]["error"].get<std::string>().find("page 2") != std::string::npos);
  CHECK(done["sync"]["imported"] == 40);
  CHECK(done["contacts_count"] == 40);
  // A transient failure is tried three times, no more.
  CHECK(user.huggy.server().count("/v3/contacts") == 2 + 3);
  // The connection itself still works: the import's failure is not the credentials'.
  CHECK(done["status"] == "active");

  // Once Huggy recovers, a new import completes.
  user.huggy.clear_failures();
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
          .status == 202);
  CHECK(user.finished_import()["contacts_count"] == 100);
}

TEST_CASE("an import honours Huggy's Retry-After and carries on", "[http][providers][sync]") {
  connected_user user;
  user.huggy.set_contact_count(30);
  user.huggy.fail_contacts_page(1, 429, 1);
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
          .status == 202);
  auto done = user.finished_import();
  CHECK(done["sync"]["status"] == "succeeded");
  CHECK(done["contacts_count"] == 30);
}

TEST_CASE("an import declared dead and replaced stops without touching its successor's state",
          "[http][providers][sync]") {
  connected_user user;
  user.huggy.set_contact_count(400);
  user.huggy.set_latency(std::chrono::milliseconds{100});  // 21 pages: about 2 s
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
          .status == 202);
  REQUIRE(testing::eventually([&] { return user.connection()["sync"]["imported"] >= 20; }));

  // Its heartbeat goes stale and another node begins an import of its own.
  user.api.clock().advance(std::chrono::minutes{3});
  const auto takeover = user.api.clock().now_ms.load();
  auto db = user.api.database().connect();
  REQUIRE(storage::begin_contact_sync(
      *db, std::stoll(user.provider), takeover,
      takeover - std::chrono::milliseconds{std::chrono::minutes{2}}.count()));

  // The first import notices at its next page and stops, leaving the successor's state alone.
  CHECK(testing::eventually(
      [&] { return user.api.log_text().find("contact_sync_replaced") != std::string::npos; }));
  CHECK(user.huggy.server().count("/v3/contacts") < 21);
  const auto state = user.connection();
  CHECK(state["sync"]["status"] == "running");
  CHECK(state["sync"]["imported"] == 0);
  CHECK(state["contacts_synced_at"].is_null());
}

TEST_CASE("local search ignores case and accents and matches phone digits",
          "[http][providers][search]") {
  connected_user user;
  user.huggy.set_contact_count(45);
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
          .status == 202);
  REQUIRE(user.finished_import()["sync"]["status"] == "succeeded");

  const auto jose = fake_huggy::contact_name(0);
  REQUIRE(jose == "Jos\u00e9 Silva");
  auto found = user.contacts("?q=jose%20silva");
  REQUIRE(found["meta"]["total"].get<int>() >= 1);
  CHECK(found["data"][0]["name"] == jose);
  CHECK(found["data"][0]["external_id"] == std::to_string(fake_huggy::contact_id(0)));
  CHECK(found["data"][0]["provider_id"] == user.provider);
  CHECK(user.contacts("?q=JOS%C3%89%20SILVA")["meta"]["total"] == found["meta"]["total"]);

  const auto phone = fake_huggy::contact_phone(7);
  auto by_phone = user.contacts("?q=%2B" + phone.substr(0, 2) + "%20(" + phone.substr(2, 2) +
                                ")%20" + phone.substr(4));
  REQUIRE(by_phone["meta"]["total"] == 1);
  CHECK(by_phone["data"][0]["phone"] == phone);
  CHECK(user.contacts("?q=nobody-has-this-name")["meta"]["total"] == 0);
  CHECK(user.api
            .call("GET", "/api/providers/" + user.provider + "/contacts?source=elsewhere", nullptr,
                  user.token)
            .status == 422);
}

TEST_CASE("a remote search asks Huggy and stores what it finds", "[http][providers][search]") {
  connected_user user;
  user.huggy.set_contact_count(45);
  const auto phone = fake_huggy::contact_phone(12);
  // Nothing imported yet: only Huggy knows the contact.
  CHECK(user.contacts("?q=" + phone)["meta"]["total"] == 0);
  auto remote = user.contacts("?source=remote&q=%2B" + phone);
  REQUIRE(remote["meta"]["total"] == 1);
  CHECK(remote["data"][0]["external_id"] == std::to_string(fake_huggy::contact_id(12)));
  CHECK_FALSE(remote["data"][0]["id"].get<std::string>().empty());
  // Huggy was asked for digits only.
  auto requests = user.huggy.server().requests();
  CHECK(std::any_of(requests.begin(), requests.end(), [&](const http::request& r) {
    return r.query.find("phone=" + phone) != std::string::npos;
  }));
  // Stored: a local search now finds it under the same id.
  auto local = user.contacts("?q=" + phone);
  REQUIRE(local["meta"]["total"] == 1);
  CHECK(local["data"][0]["id"] == remote["data"][0]["id"]);
  CHECK(user.api
            .call("GET", "/api/providers/" + user.provider + "/contacts?source=remote", nullptr,
                  user.token)
            .status == 422);
}

TEST_CASE("a Brazilian mobile is found typed with or without its ninth digit",
          "[http][providers][search]") {
  connected_user user;
  user.huggy.set_contact_count(45);
  // Contact 13 was saved on Huggy before the ninth digit; the user types today's number.
  const auto saved = fake_huggy::contact_phone(13);
  REQUIRE(saved.size() == 12);
  const auto typed = saved.substr(0, 4) + "9" + saved.substr(4);
  auto remote = user.contacts("?source=remote&q=" + typed);
  REQUIRE(remote["meta"]["total"] == 1);
  CHECK(remote["data"][0]["phone"] == saved);
  // Stored, it is found locally in either form, with or without the country code.
  for (const auto& query : {typed, saved, typed.substr(2), saved.substr(2)}) {
    CAPTURE(query);
    auto local = user.contacts("?q=" + query);
    REQUIRE(local["meta"]["total"] == 1);
    CHECK(local["data"][0]["id"] == remote["data"][0]["id"]);
  }
}

TEST_CASE("a remote search Huggy refuses answers 502 with its reason",
          "[http][providers][search]") {
  connected_user user;
  user.huggy.fail_next("/contacts", 503, 1, "7");
  auto res =
      user.api.call("GET", "/api/providers/" + user.provider + "/contacts?source=remote&q=5511",
                    nullptr, user.token);
  CHECK(res.status == 502);
  CHECK(body_of(res)["error"]["code"] == "upstream_failed");
  CHECK(res.header("retry-after").has_value());
}

TEST_CASE("an account with 50,000 contacts imports completely, one page at a time",
          "[http][providers][sync][heavy]") {
  connected_user user;
  user.huggy.set_contact_count(50'000);
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
          .status == 202);
  nlohmann::json done;
  CHECK(testing::eventually(
      [&] {
        done = user.connection();
        return done["sync"]["status"] != "running";
      },
      std::chrono::minutes{2}, std::chrono::milliseconds{50}));
  CHECK(done["sync"]["status"] == "succeeded");
  CHECK(done["contacts_count"] == 50'000);
  // 2,500 full pages, then the empty one that ends the list.
  CHECK(user.huggy.server().count("/v3/contacts") == 2'501);
  CHECK(user.contacts("?q=" + fake_huggy::contact_phone(49'999))["meta"]["total"] == 1);
}
