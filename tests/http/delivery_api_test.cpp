#include "tests/support/directory_view.hpp"
#include "tests/support/scheduling_api.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;
using testing::body_of;
using testing::scheduling_user;

namespace {

using events = std::vector<std::string>;

// Two messages due at once on a connection that sends one at a time, each send two seconds
// long: once due, the first is accepted and waits in the journal while the second is on its way.
struct one_send_at_a_time {
  scheduling_user user;
  std::string first;
  std::string second;

  explicit one_send_at_a_time(const char* backend)
      : user{backend, [](config::service_config& settings) {
               settings.admin_emails = {"owner@example.com"};
               settings.connector_max_in_flight = 1;
             }} {
    user.huggy.add_chat(user.external_id(0), "in_chat");
    user.huggy.add_chat(user.external_id(1), "in_chat");
    first = user.schedule(0, 10s)["id"];
    second = user.schedule(1, 10s)["id"];
  }

  // The connection's entry in the admin snapshot.
  nlohmann::json connector() {
    return body_of(user.api.call("GET", "/api/admin/snapshot", nullptr, user.token))["connectors"]
        .at(0);
  }

  // Lets both fall due once their chats are known, each send then taking two seconds.
  void fall_due() {
    user.api.clock().advance(9s);
    REQUIRE(testing::eventually([&] { return connector()["routes_ready"] == 2; }));
    user.huggy.set_latency(2s);
    user.api.clock().advance(1s);
  }
};

}  // namespace

TEST_CASE("a message is sent when its time comes, once, and not before", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    const std::string later = user.schedule(1, 10min)["id"];
    const std::string soon = user.schedule(0, 2s, "Your table is ready")["id"];
    user.api.clock().advance(2s);
    auto sent = user.await_status(soon, "sent");
    REQUIRE(sent["status"] == "sent");
    CHECK(sent["attempts"] == 1);
    CHECK_FALSE(sent["provider_message_id"].is_null());
    CHECK_FALSE(sent["sent_at"].is_null());
    CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
    CHECK(user.huggy.deliveries().back().text == "Your table is ready");
    CHECK(user.events(soon) == events{"created", "dispatched", "sent"});
    CHECK(user.message(later)["status"] == "pending");
    CHECK(user.huggy.sends_to(user.external_id(1)) == 0);
    auto cancel_sent =
        user.api.call("DELETE", "/api/scheduled-messages/" + soon, nullptr, user.token);
    CHECK(cancel_sent.status == 409);
    auto edit_sent =
        user.api.call("PUT", "/api/scheduled-messages/" + soon, {{"content", "x"}}, user.token);
    CHECK(edit_sent.status == 409);
  }
}

TEST_CASE("a message is claimed a lead ahead of its time and leaves when due, not before",
          "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};  // the default lead: two seconds
    const std::string id = user.schedule(0, 10s)["id"];
    user.api.clock().advance(9500ms);
    REQUIRE(user.await_status(id, "processing")["status"] == "processing");
    // Its connector holds it until it is due; from the claim on, it can no longer be cancelled.
    CHECK(user.api.call("DELETE", "/api/scheduled-messages/" + id, nullptr, user.token).status ==
          409);
    CHECK(user.events(id) == events{"created", "dispatched"});
    CHECK(user.huggy.sends_to(user.external_id(0)) == 0);
    user.api.clock().advance(500ms);
    CHECK(user.await_status(id, "sent")["status"] == "sent");
    CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
  }
}

TEST_CASE("a message's chat is looked up during the lead, so only the post is left at its time",
          "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend, [](config::service_config& settings) {
                           settings.admin_emails = {"owner@example.com"};
                         }};
    const auto contact = user.external_id(0);
    const auto chat = user.huggy.add_chat(contact, "in_chat");
    const std::string id = user.schedule(0, 10s)["id"];
    user.api.clock().advance(9s);
    REQUIRE(testing::eventually([&] {
      const auto snapshot =
          body_of(user.api.call("GET", "/api/admin/snapshot", nullptr, user.token));
      return snapshot["connectors"].size() == 1 && snapshot["connectors"][0]["routes_ready"] == 1;
    }));
    CHECK(user.huggy.server().count("/v3/chats") == 1);
    CHECK(user.huggy.sends_to(contact) == 0);
    user.api.clock().advance(1s);
    CHECK(user.await_status(id, "sent")["status"] == "sent");
    CHECK(user.huggy.server().count("/v3/chats") == 1);  // the send itself was one call: the post
    CHECK(user.huggy.deliveries().back().chat_id == chat);
  }
}

TEST_CASE(
    "a message sent while its connection is busy reads processing until the journal's fold, "
    "and the snapshot counts it",
    "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    one_send_at_a_time busy{backend};
    auto& user = busy.user;
    // The first waits in the journal while the second is on its way (two seconds at most).
    busy.fall_due();
    CHECK(testing::eventually([&] {
      return busy.connector()["to_fold"] == 1 && user.message(busy.first)["status"] == "processing";
    }));
    // Once the connection is quiet both are folded: sent, with their history.
    CHECK(user.await_status(busy.first, "sent")["status"] == "sent");
    CHECK(user.await_status(busy.second, "sent")["status"] == "sent");
    CHECK(user.events(busy.first) == events{"created", "dispatched", "sent"});
    CHECK(busy.connector()["to_fold"] == 0);
    CHECK(user.huggy.deliveries().size() == 2);
  }
}

TEST_CASE("a chat lookup that fails during the lead costs the message nothing",
          "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    user.huggy.fail_next("/chats", 503, 1);  // the lookup made ahead of the due time
    const std::string id = user.schedule(0, 10s)["id"];
    user.api.clock().advance(9s);
    REQUIRE(testing::eventually([&] { return user.huggy.server().count("/v3/chats") == 1; }));
    user.api.clock().advance(1s);
    auto sent = user.await_status(id, "sent");
    CHECK(sent["attempts"] == 1);
    CHECK(user.events(id) == events{"created", "dispatched", "sent"});
    CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
  }
}

TEST_CASE("an edited send time is honoured", "[http][delivery]") {
  scheduling_user user;
  const std::string id = user.schedule(0, 1h)["id"];
  REQUIRE(
      user.api.call("PUT", "/api/scheduled-messages/" + id, {{"send_at", user.at(1s)}}, user.token)
          .status == 200);
  user.api.clock().advance(1s);
  CHECK(user.await_status(id, "sent")["status"] == "sent");
}

TEST_CASE("a 503 is retried with backoff and the message is then sent", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    user.huggy.fail_next("/chats/", 503, 1);
    const std::string id = user.schedule(0, 1s)["id"];
    user.api.clock().advance(1s);
    REQUIRE(testing::eventually([&] { return user.events(id).size() >= 4; }));
    CHECK(user.message(id)["status"] == "pending");
    CHECK(user.message(id)["last_error"].is_string());
    user.api.clock().advance(5s);  // beyond the largest backoff the test service allows
    auto sent = user.await_status(id, "sent");
    CHECK(sent["attempts"] == 2);
    CHECK(user.events(id) == events{"created", "dispatched", "attempt_failed", "retry_scheduled",
                                    "dispatched", "sent"});
    auto logs = body_of(
        user.api.call("GET", "/api/scheduled-messages/" + id + "/logs", nullptr, user.token));
    CHECK(logs["data"][2]["http_status"] == 503);
    CHECK(logs["data"][2]["attempt"] == 1);
    CHECK(logs["data"][5]["attempt"] == 2);
    CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
  }
}

TEST_CASE("a 429 waits as long as Retry-After says", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    user.huggy.fail_next("/chats/", 429, 1, "2");
    const std::string id = user.schedule(0, 1s)["id"];
    user.api.clock().advance(1s);
    REQUIRE(testing::eventually([&] { return user.events(id).size() >= 4; }));
    auto logs = body_of(
        user.api.call("GET", "/api/scheduled-messages/" + id + "/logs", nullptr, user.token));
    CHECK(logs["data"][2]["http_status"] == 429);
    CHECK(logs["data"][3]["detail"].get<std::string>().find(user.at(2s)) != std::string::npos);
    user.api.clock().advance(2s);
    CHECK(user.await_status(id, "sent")["attempts"] == 2);
  }
}

TEST_CASE("a 400 fails the message at once with the platform's reason", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    user.huggy.fail_next("/chats/", 400, 1);
    const std::string id = user.schedule(0, 1s)["id"];
    user.api.clock().advance(1s);
    auto failed = user.await_status(id, "failed");
    REQUIRE(failed["status"] == "failed");
    CHECK(failed["attempts"] == 1);
    CHECK(failed["last_error"].is_string());
    CHECK(user.events(id) == events{"created", "dispatched", "attempt_failed", "failed"});
  }
}

TEST_CASE("a message fails after its last attempt", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{
        backend, [](config::service_config& settings) { settings.dispatch_max_attempts = 2; }};
    user.huggy.fail_next("/chats", 502, testing::fake_huggy::always);
    const std::string id = user.schedule(0, 1s)["id"];
    user.api.clock().advance(1s);
    REQUIRE(testing::eventually([&] { return user.events(id).size() >= 4; }));
    user.api.clock().advance(5s);
    auto failed = user.await_status(id, "failed");
    CHECK(failed["attempts"] == 2);
    CHECK(user.events(id).back() == "failed");
    CHECK(user.huggy.sends_to(user.external_id(0)) == 0);
  }
}

TEST_CASE("a message being sent can be neither edited nor cancelled", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    user.huggy.set_latency(400ms);
    const std::string id = user.schedule(0, 1s)["id"];
    user.api.clock().advance(1s);
    REQUIRE(testing::eventually([&] { return user.message(id)["status"] == "processing"; }));
    CHECK(user.api.call("DELETE", "/api/scheduled-messages/" + id, nullptr, user.token).status ==
          409);
    CHECK(user.api.call("PUT", "/api/scheduled-messages/" + id, {{"content", "x"}}, user.token)
              .status == 409);
    CHECK(user.await_status(id, "sent")["status"] == "sent");
  }
}

TEST_CASE("a cancel racing the dispatch either cancels or sends, never both",
          "[http][delivery][race]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    constexpr std::size_t count = 40;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
      ids.push_back(user.schedule(i, 1s)["id"]);
    }
    user.api.clock().advance(1s);
    std::vector<std::future<int>> cancels;
    cancels.reserve(ids.size());
    for (const auto& id : ids) {
      cancels.push_back(std::async(std::launch::async, [&user, id] {
        return user.api.call("DELETE", "/api/scheduled-messages/" + id, nullptr, user.token).status;
      }));
    }
    for (std::size_t i = 0; i < count; ++i) {
      const int answer = cancels[i].get();
      INFO("message " << i << " answered " << answer);
      REQUIRE((answer == 200 || answer == 409));
      const std::string final_status = answer == 200 ? "cancelled" : "sent";
      CHECK(user.await_status(ids[i], final_status)["status"] == final_status);
      CHECK(user.huggy.sends_to(user.external_id(i)) == (answer == 200 ? 0U : 1U));
    }
  }
}

TEST_CASE("a bulk is delivered to every recipient exactly once", "[http][delivery][bulk]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    const auto batch = user.bulk(user.contacts, 2s);
    user.api.clock().advance(2s);
    REQUIRE(testing::eventually([&] {
      return body_of(user.api.call("GET", "/api/batches/" + batch, nullptr,
                                   user.token))["counts"]["sent"] == 45;
    }));
    CHECK(user.huggy.deliveries().size() == 45);
    for (std::size_t i = 0; i < user.contacts.size(); ++i) {
      CHECK(user.huggy.sends_to(user.external_id(i)) == 1);
    }
  }
}

TEST_CASE("messages sent together each keep their own outcome", "[http][delivery]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    // Forty in flight: the twelve messages due at once leave in batches of ten and two.
    scheduling_user user{
        backend, [](config::service_config& settings) { settings.connector_max_in_flight = 40; }};
    const auto refusing = user.huggy.add_chat(user.external_id(3), "in_chat");
    const auto busy = user.huggy.add_chat(user.external_id(7), "in_chat");
    user.huggy.fail_next("/chats/" + std::to_string(refusing) + "/messages", 400);
    user.huggy.fail_next("/chats/" + std::to_string(busy) + "/messages", 503);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < 12; ++i) ids.push_back(user.schedule(i, 1s)["id"]);
    user.api.clock().advance(1s);

    CHECK(user.await_status(ids[3], "failed")["attempts"] == 1);
    REQUIRE(testing::eventually([&] { return user.events(ids[7]).size() >= 4; }));
    // Its retry may already be claimed (it falls due within the lead), but it waits for its time.
    const auto history = user.events(ids[7]);
    CHECK(events(history.begin(), history.begin() + 4) ==
          events{"created", "dispatched", "attempt_failed", "retry_scheduled"});
    CHECK(user.message(ids[7])["status"] != "sent");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i == 3 || i == 7) continue;
      INFO("message " << i);
      CHECK(user.await_status(ids[i], "sent")["attempts"] == 1);
      CHECK(user.huggy.sends_to(user.external_id(i)) == 1);
    }
    user.api.clock().advance(5s);  // beyond the largest backoff the test service allows
    CHECK(user.await_status(ids[7], "sent")["attempts"] == 2);
    CHECK(user.huggy.sends_to(user.external_id(3)) == 0);
    CHECK(user.huggy.deliveries().size() == 11);
  }
}

TEST_CASE("a node holds at most DISPATCH_MAX_CLAIMED claims and claims more as they settle",
          "[http][delivery][bulk]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend, [](config::service_config& settings) {
                           settings.dispatch_max_claimed = 6;
                           settings.connector_max_in_flight = 2;
                         }};
    user.huggy.set_latency(20ms);
    const auto batch = user.bulk(user.contacts, 2s);
    user.api.clock().advance(2s);
    std::int64_t most_claimed = 0;
    REQUIRE(testing::eventually(
        [&] {
          const auto counts =
              body_of(user.api.call("GET", "/api/batches/" + batch, nullptr, user.token))["counts"];
          most_claimed = std::max(most_claimed, counts.value("processing", std::int64_t{0}));
          return counts["sent"] == 45;
        },
        30s, 5ms));
    CHECK(most_claimed > 0);
    CHECK(most_claimed <= 6);
    CHECK(user.huggy.deliveries().size() == 45);
  }
}

TEST_CASE("a connection whose credentials are rejected holds its messages until it works again",
          "[http][delivery]") {
  scheduling_user user;
  user.huggy.revoke_token(testing::fake_huggy::access_token);
  const std::string id = user.schedule(0, 1s)["id"];
  user.api.clock().advance(1s);
  REQUIRE(testing::eventually([&] {
    return body_of(user.api.call("GET", "/api/providers/" + user.provider, nullptr,
                                 user.token))["status"] == "error";
  }));
  // The connection's status and the message's return to the queue are two writes: wait for both.
  REQUIRE(testing::eventually([&] { return user.message(id)["status"] == "pending"; }));
  CHECK(user.message(id)["attempts"] == 0);
  user.huggy.accept_token(testing::fake_huggy::access_token);
  REQUIRE(
      user.api
          .call("POST", "/api/providers/" + user.provider + "/test-connection", nullptr, user.token)
          .status == 200);
  CHECK(user.await_status(id, "sent")["attempts"] == 1);
  CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
  // The history says why the first claim sent nothing.
  CHECK(user.events(id) ==
        events{"created", "dispatched", "retry_scheduled", "dispatched", "sent"});
}

TEST_CASE("a connector that crashes holding claims gives them back at once, due when they were",
          "[http][delivery][supervision]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};  // leases are never reached: the injected clock stands still
    testing::directory_view directory{user.api.service()};
    const std::string id = user.schedule(0, 10s)["id"];
    user.api.clock().advance(9500ms);
    REQUIRE(user.await_status(id, "processing")["status"] == "processing");

    directory.kill("engine.connectors." + user.provider);

    // Its connector held it until due and never sent it: it is given back, its attempt unused,
    // and claimed again for a fresh connector (long before its lease would have run out).
    REQUIRE(testing::eventually([&] { return user.events(id).size() >= 4; }));
    CHECK(user.events(id) == events{"created", "dispatched", "retry_scheduled", "dispatched"});
    CHECK(user.message(id)["attempts"] == 1);
    CHECK(user.huggy.sends_to(user.external_id(0)) == 0);
    CHECK(user.api.log_text().find("claims_recovered") != std::string::npos);
    // A fresh connector sends it at its time, once.
    user.api.clock().advance(500ms);
    CHECK(user.await_status(id, "sent")["status"] == "sent");
    CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
    CHECK(user.message(id)["attempts"] == 1);
  }
}

TEST_CASE("a send under way when its connector crashes counts as interrupted and goes again",
          "[http][delivery][supervision]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    testing::directory_view directory{user.api.service()};
    user.huggy.server().set_latency_of("POST", "/v3/chats/", 1500ms);
    const std::string id = user.schedule(0, 2s)["id"];
    user.api.clock().advance(2s);
    REQUIRE(testing::eventually([&] { return user.huggy.sends_to(user.external_id(0)) == 1; }));

    directory.kill("engine.connectors." + user.provider);

    // Whether Huggy took the text is unknown when the connector dies (it did: the answer was on
    // its way), so the attempt counts as failed and the message goes again at once, as after
    // a lost node.
    CHECK(user.await_status(id, "sent")["status"] == "sent");
    CHECK(user.events(id) == events{"created", "dispatched", "attempt_failed", "retry_scheduled",
                                    "dispatched", "sent"});
    CHECK(user.message(id)["attempts"] == 2);
    CHECK(user.huggy.sends_to(user.external_id(0)) == 2);
  }
}

TEST_CASE(
    "a connector that crashes with a send in the journal stores it as sent and never sends it "
    "again",
    "[http][delivery][supervision]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    one_send_at_a_time busy{backend};
    auto& user = busy.user;
    testing::directory_view directory{user.api.service()};
    // The first waits in the journal, not yet folded into its message, while the second is on
    // its way.
    busy.fall_due();
    REQUIRE(testing::eventually([&] {
      return busy.connector()["to_fold"] == 1 && user.huggy.sends_to(user.external_id(1)) == 1;
    }));

    directory.kill("engine.connectors." + user.provider);

    // The journaled send is known to be accepted: it is stored as sent and never goes again.
    // The send under way is interrupted and goes again, as in the test above.
    CHECK(user.await_status(busy.first, "sent")["attempts"] == 1);
    CHECK(user.events(busy.first) == events{"created", "dispatched", "sent"});
    CHECK(user.await_status(busy.second, "sent")["attempts"] == 2);
    CHECK(user.events(busy.second) == events{"created", "dispatched", "attempt_failed",
                                             "retry_scheduled", "dispatched", "sent"});
    CHECK(user.huggy.sends_to(user.external_id(0)) == 1);
    CHECK(user.huggy.sends_to(user.external_id(1)) == 2);
  }
}

TEST_CASE("a claim that ends after the node began to stop is given back, not sent",
          "[http][delivery][shutdown]") {
  // PostgreSQL only: the test holds the claim statement back with a table lock from another
  // session, which SQLite's single writer cannot show apart from the service's own writes.
  scheduling_user user{"postgres"};
  const std::string id = user.schedule(0, 10s)["id"];
  auto db = user.api.database().connect();
  db->begin();
  db->execute("LOCK TABLE scheduled_messages IN EXCLUSIVE MODE", {});
  user.api.clock().advance(9s);  // within the lead: the scheduler claims, and waits for the lock
  auto waiting_for_the_lock = user.api.database().connect();
  REQUIRE(testing::eventually([&] {
    return waiting_for_the_lock->execute("SELECT count(*) FROM pg_locks WHERE NOT granted", {})
               .rows.at(0)
               .at(0) != storage::value{std::int64_t{0}};
  }));

  auto stopped = std::async(std::launch::async, [&] { return user.api.service().stop(5s); });
  // The drain waits for the claim under way; once the lock goes, the claim ends and its
  // message goes back instead of out.
  REQUIRE(testing::eventually(
      [&] { return user.api.log_text().find("dispatch_draining") != std::string::npos; }));
  db->rollback();
  CHECK(stopped.get());

  const auto message = std::stoll(id);
  CHECK(waiting_for_the_lock
            ->execute("SELECT status, attempts, lease_owner FROM scheduled_messages"
                      " WHERE id = $1",
                      {message})
            .rows.at(0) ==
        std::vector<storage::value>{std::string{"pending"}, std::int64_t{0}, storage::value{}});
  CHECK(user.huggy.delivered() == 0);
}

TEST_CASE("a connector holding a claim until its time does not stop for idleness",
          "[http][delivery][supervision]") {
  scheduling_user user{"sqlite", {}, [](app::service_options& options) {
                         options.connector_idle_timeout = std::chrono::milliseconds{50};
                       }};
  testing::directory_view directory{user.api.service()};
  const std::string id = user.schedule(0, 10s)["id"];
  user.api.clock().advance(9500ms);
  REQUIRE(user.await_status(id, "processing")["status"] == "processing");
  const auto name = "engine.connectors." + user.provider;
  // The claim is stored before its connector starts: wait until the connector runs.
  REQUIRE(testing::eventually([&] {
    const auto listed = directory.find(name);
    return listed && listed->alive;
  }));
  // A bounded wait for something that must not happen: idle ten times its timeout, it still
  // holds the claim, so it keeps running.
  CHECK_FALSE(testing::eventually(
      [&] {
        const auto listed = directory.find(name);
        return !listed || !listed->alive;
      },
      500ms));
  user.api.clock().advance(500ms);
  CHECK(user.await_status(id, "sent")["status"] == "sent");
}
