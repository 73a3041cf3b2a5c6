#include "tests/support/scheduling_api.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;
using testing::body_of;
using testing::scheduling_user;

namespace {

// A service whose ADMIN_EMAILS names admin@example.com, with that admin registered beside the
// owner of the Huggy connection.
struct admin_session {
  scheduling_user owner;
  std::string admin;

  explicit admin_session(const std::string& backend)
      : owner{backend, [](config::service_config& settings) {
                settings.admin_emails = {"admin@example.com"};
              }} {
    admin = owner.api.register_user("admin@example.com");
  }

  providers::outbound_response call(const std::string& method, const std::string& path) {
    return owner.api.call(method, path, nullptr, admin);
  }

  // A message to contact `index` that failed at once (the platform refused it with a 400).
  std::string failed_message(std::size_t index) {
    owner.huggy.fail_next("/chats/", 400, 1);
    std::string id = owner.schedule(index, 1s)["id"];
    owner.api.clock().advance(1s);
    REQUIRE(owner.await_status(id, "failed")["status"] == "failed");
    return id;
  }

  std::vector<std::string> audit_actions() {
    std::vector<std::string> actions;
    const auto page = body_of(call("GET", "/api/admin/audit"));
    for (const auto& row : page["data"]) {
      actions.push_back(row["action"].get<std::string>());
    }
    return actions;
  }
};

}  // namespace

TEST_CASE("the admin API answers 401 without a token and 403 to users who are not admins",
          "[http][admin]") {
  admin_session session{"sqlite"};
  auto& api = session.owner.api;
  const std::vector<std::pair<std::string, std::string>> routes{
      {"GET", "/api/admin/failed-messages"},
      {"GET", "/api/admin/providers"},
      {"GET", "/api/admin/audit"},
      {"GET", "/api/admin/snapshot"},
      {"POST", "/api/admin/scheduled-messages/1/retry"},
      {"POST", "/api/admin/providers/" + session.owner.provider + "/pause"},
      {"POST", "/api/admin/providers/" + session.owner.provider + "/resume"},
      {"POST", "/api/admin/providers/" + session.owner.provider + "/retry-failed"},
      {"POST", "/api/admin/batches/1/retry-failed"},
      {"POST", "/api/admin/batches/1/cancel"}};
  for (const auto& [method, path] : routes) {
    INFO(method << " " << path);
    CHECK(api.call(method, path, nullptr, "").status == 401);
    auto refused = api.call(method, path, nullptr, session.owner.token);
    CHECK(refused.status == 403);
    CHECK(body_of(refused)["error"]["code"] == "forbidden");
  }
  // Nothing a refused request asked for happened.
  CHECK(body_of(session.call("GET", "/api/admin/audit"))["meta"]["total"] == 0);
  CHECK(body_of(api.call("GET", "/api/providers/" + session.owner.provider, nullptr,
                         session.owner.token))["dispatch_paused_at"]
            .is_null());
}

TEST_CASE("an admin sees another user's failed message, retries it, and it is sent",
          "[http][admin]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    admin_session session{backend};
    const auto id = session.failed_message(0);
    auto listed = body_of(session.call("GET", "/api/admin/failed-messages"));
    REQUIRE(listed["meta"]["total"] == 1);
    CHECK(listed["data"][0]["id"] == id);
    CHECK(listed["data"][0]["last_error"].is_string());
    CHECK(body_of(session.call("GET", "/api/admin/failed-messages?provider_id=" +
                                          session.owner.provider))["meta"]["total"] == 1);
    CHECK(body_of(session.call("GET",
                               "/api/admin/failed-messages?batch_id=999"))["meta"]["total"] == 0);
    CHECK(session.call("GET", "/api/admin/failed-messages?provider_id=x").status == 422);
    CHECK(session.call("GET", "/api/admin/failed-messages?colour=red").status == 422);

    auto retried = session.call("POST", "/api/admin/scheduled-messages/" + id + "/retry");
    REQUIRE(retried.status == 200);
    CHECK(body_of(retried)["retried"] == 1);
    auto sent = session.owner.await_status(id, "sent");
    CHECK(sent["status"] == "sent");
    CHECK(session.owner.huggy.sends_to(session.owner.external_id(0)) == 1);
    CHECK(session.owner.events(id) ==
          std::vector<std::string>{"created", "dispatched", "attempt_failed", "failed",
                                   "retry_scheduled", "dispatched", "sent"});
    // A message that has not failed cannot be retried; an unknown one is not found.
    auto again = session.call("POST", "/api/admin/scheduled-messages/" + id + "/retry");
    CHECK(again.status == 409);
    CHECK(session.call("POST", "/api/admin/scheduled-messages/99999/retry").status == 404);
    CHECK(session.audit_actions() == std::vector<std::string>{"retry"});
    const auto entry = body_of(session.call("GET", "/api/admin/audit"))["data"][0];
    CHECK(entry["admin_email"] == "admin@example.com");
    CHECK(entry["target"] == "message:" + id);
    CHECK(entry["affected"] == 1);
  }
}

TEST_CASE("an admin retries every failed message of a connection, or of a batch", "[http][admin]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    admin_session session{backend};
    const auto first = session.failed_message(0);
    const auto second = session.failed_message(1);
    const auto& provider = session.owner.provider;
    auto retried = session.call("POST", "/api/admin/providers/" + provider + "/retry-failed");
    REQUIRE(retried.status == 200);
    CHECK(body_of(retried)["retried"] == 2);
    CHECK(session.owner.await_status(first, "sent")["status"] == "sent");
    CHECK(session.owner.await_status(second, "sent")["status"] == "sent");
    // Nothing left to retry is no error; an unknown connection or batch is.
    CHECK(body_of(session.call(
              "POST", "/api/admin/providers/" + provider + "/retry-failed"))["retried"] == 0);
    CHECK(session.call("POST", "/api/admin/providers/99999/retry-failed").status == 404);
    CHECK(session.call("POST", "/api/admin/batches/99999/retry-failed").status == 404);
    CHECK(session.audit_actions() == std::vector<std::string>{"retry_all", "retry_all"});
  }
}

TEST_CASE("a paused connection's messages wait, and go out once it is resumed", "[http][admin]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    admin_session session{backend};
    const auto& provider = session.owner.provider;
    auto paused = session.call("POST", "/api/admin/providers/" + provider + "/pause");
    REQUIRE(paused.status == 200);
    CHECK(body_of(paused)["dispatch_paused"] == true);
    // The owner sees the pause on the connection.
    CHECK(body_of(session.owner.api.call("GET", "/api/providers/" + provider, nullptr,
                                         session.owner.token))["dispatch_paused_at"]
              .is_string());
    const std::string id = session.owner.schedule(0, 1s)["id"];
    session.owner.api.clock().advance(2s);
    // A bounded wait for something that must not happen: a sweep runs every second.
    CHECK_FALSE(testing::eventually(
        [&] { return session.owner.message(id)["status"] != "pending"; }, 2500ms));
    CHECK(session.owner.huggy.deliveries().empty());
    auto listed = body_of(session.call("GET", "/api/admin/providers"));
    REQUIRE(listed["meta"]["total"] == 1);
    CHECK(listed["data"][0]["counts"]["pending"] == 1);
    CHECK(listed["data"][0]["user_email"] == "owner@example.com");

    auto resumed = session.call("POST", "/api/admin/providers/" + provider + "/resume");
    REQUIRE(resumed.status == 200);
    CHECK(body_of(resumed)["dispatch_paused"] == false);
    CHECK(session.owner.await_status(id, "sent")["status"] == "sent");
    CHECK(session.call("POST", "/api/admin/providers/99999/pause").status == 404);
    CHECK(session.audit_actions() == std::vector<std::string>{"resume", "pause"});
  }
}

TEST_CASE("claims given back by a pause keep their due times, so a resume sends none early",
          "[http][admin][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    admin_session session{backend};
    auto& owner = session.owner;
    const std::string first = owner.schedule(0, 10s)["id"];
    const std::string second = owner.schedule(1, 10200ms)["id"];
    owner.api.clock().advance(9500ms);  // both are claimed a lead ahead of their times
    REQUIRE(owner.await_status(first, "processing")["status"] == "processing");
    REQUIRE(owner.await_status(second, "processing")["status"] == "processing");
    REQUIRE(session.call("POST", "/api/admin/providers/" + owner.provider + "/pause").status ==
            200);
    owner.api.clock().advance(500ms);  // the first is due: its connector gives both back
    REQUIRE(owner.await_status(first, "pending")["status"] == "pending");
    REQUIRE(owner.await_status(second, "pending")["status"] == "pending");

    REQUIRE(session.call("POST", "/api/admin/providers/" + owner.provider + "/resume").status ==
            200);
    CHECK(owner.await_status(first, "sent")["status"] == "sent");
    // A bounded wait for something that must not happen: the second is due 200 ms from now.
    CHECK_FALSE(testing::eventually([&] { return owner.huggy.sends_to(owner.external_id(1)) > 0; },
                                    1500ms));
    owner.api.clock().advance(200ms);
    CHECK(owner.await_status(second, "sent")["status"] == "sent");
    CHECK(owner.huggy.sends_to(owner.external_id(1)) == 1);
  }
}

TEST_CASE("an admin cancels the pending rest of another user's batch", "[http][admin]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    admin_session session{backend};
    auto& owner = session.owner;
    const auto batch = owner.bulk({owner.contacts[0], owner.contacts[1], owner.contacts[2]}, 1h);
    auto cancelled = session.call("POST", "/api/admin/batches/" + batch + "/cancel");
    REQUIRE(cancelled.status == 200);
    CHECK(body_of(cancelled)["counts"]["cancelled"] == 3);
    CHECK(body_of(owner.api.call("GET", "/api/batches/" + batch, nullptr,
                                 owner.token))["counts"]["pending"] == 0);
    CHECK(session.call("POST", "/api/admin/batches/99999/cancel").status == 404);
    const auto entry = body_of(session.call("GET", "/api/admin/audit"))["data"][0];
    CHECK(entry["action"] == "cancel_batch");
    CHECK(entry["target"] == "batch:" + batch);
    CHECK(entry["affected"] == 3);
  }
}

namespace {

// The entry of `actors` named `name` (null when it is not listed).
nlohmann::json actor_named(const nlohmann::json& actors, const std::string& name) {
  for (const auto& actor : actors) {
    if (actor["name"] == name) {
      return actor;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE(
    "an admin's snapshot shows the actors' activity, the wheel, the connector's sends and "
    "failures, and the messages per status",
    "[http][admin]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    admin_session session{backend};
    auto& owner = session.owner;
    session.failed_message(0);
    const std::string sent = owner.schedule(1, 1s)["id"];
    owner.api.clock().advance(1s);
    REQUIRE(owner.await_status(sent, "sent")["status"] == "sent");
    owner.schedule(2, 30min);

    auto answer = session.call("GET", "/api/admin/snapshot");
    REQUIRE(answer.status == 200);
    const auto snapshot = body_of(answer);
    INFO(snapshot.dump(2));
    for (const char* source : {"connectors", "database", "directory", "scheduler"}) {
      CHECK(snapshot["sources"][source] == true);
    }
    CHECK(snapshot["generated_at"].is_string());
    CHECK(snapshot["node"]["uptime_seconds"].get<double>() >= 0);

    const auto scheduler = actor_named(snapshot["actors"], "engine.scheduler");
    REQUIRE(scheduler.is_object());
    CHECK(scheduler["parent"] == "engine");
    CHECK(scheduler["alive"] == true);
    CHECK(scheduler["processed"].get<std::int64_t>() > 0);
    CHECK(scheduler["last_activity_at"].is_string());
    const auto connector = actor_named(snapshot["actors"], "engine.connectors." + owner.provider);
    REQUIRE(connector.is_object());
    CHECK(connector["parent"] == "engine.connectors");
    CHECK(connector["kind"] == "connector");
    CHECK(connector["processed"].get<std::int64_t>() >= 2);
    CHECK(actor_named(snapshot["actors"], "engine")["parent"].is_null());

    // Two hand-offs so far; the message due in half an hour waits in the wheel.
    CHECK(snapshot["scheduler"]["handed_off"] == 2);
    std::int64_t in_wheel = 0;
    for (const auto& level : snapshot["scheduler"]["wheel"]["levels"]) {
      in_wheel += level.get<std::int64_t>();
    }
    CHECK(in_wheel == 1);
    CHECK(snapshot["scheduler"]["wheel"]["next_due_at"].is_string());
    CHECK(snapshot["scheduler"]["lateness_ms"]["p99"].is_number());

    REQUIRE(snapshot["connectors"].size() == 1);
    const auto report = snapshot["connectors"][0];
    CHECK(std::to_string(report["provider_id"].get<std::int64_t>()) == owner.provider);
    CHECK(report["sent"] == 1);
    CHECK(report["failed"] == 1);
    CHECK(report["last_error"].is_string());
    CHECK(report["last_error_at"].is_string());
    CHECK(report["breaker"] == "closed");
    CHECK(report["paused"] == false);
    CHECK(report["queued"] == 0);

    CHECK(snapshot["messages"]["sent"] == 1);
    CHECK(snapshot["messages"]["failed"] == 1);
    CHECK(snapshot["messages"]["pending"] == 1);
  }
}
