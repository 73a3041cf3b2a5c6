#include "tests/support/scheduling_api.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <set>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;
using testing::body_of;
using testing::scheduling_user;

namespace {

std::string error_fields(const nlohmann::json& body) {
  std::string fields;
  for (const auto& [field, problems] : body["error"]["details"].items()) {
    fields += field + ";";
  }
  return fields;
}

}  // namespace

TEST_CASE("a scheduled message is created pending and reads back as created", "[http][messages]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    auto created = user.schedule(3, 1h, "  Hello there  ");
    CHECK(created["status"] == "pending");
    CHECK(created["content"] == "Hello there");
    CHECK(created["contact"]["id"] == user.contacts[3]);
    CHECK(created["provider_id"] == user.provider);
    CHECK(created["attempts"] == 0);
    CHECK(created["batch_id"].is_null());
    CHECK(created["sent_at"].is_null());
    CHECK(created["send_at"] == user.at(1h));
    CHECK(user.message(created["id"]) == created);
    CHECK(user.events(created["id"]) == std::vector<std::string>{"created"});
  }
}

TEST_CASE("a schedule with bad fields is refused with every problem named and nothing stored",
          "[http][messages]") {
  scheduling_user user;
  auto call = [&](const nlohmann::json& body) {
    return user.api.call("POST", "/api/scheduled-messages", body, user.token);
  };
  auto past = user.message_to(0, -1h);
  auto refused = call(past);
  CHECK(refused.status == 422);
  CHECK(error_fields(body_of(refused)) == "send_at;");
  auto far = user.message_to(0, std::chrono::hours{24 * 367});
  CHECK(error_fields(body_of(call(far))) == "send_at;");
  auto no_offset = user.message_to(0, 1h);
  no_offset["send_at"] = "2030-01-01T10:00:00";
  CHECK(error_fields(body_of(call(no_offset))) == "send_at;");
  auto blank = user.message_to(0, 1h, "   ");
  CHECK(error_fields(body_of(call(blank))) == "content;");
  auto long_text = user.message_to(0, 1h, std::string(4097, 'x'));
  CHECK(error_fields(body_of(call(long_text))) == "content;");
  CHECK(call(user.message_to(0, 1h, std::string(4096, 'x'))).status == 201);
  auto missing = call(nlohmann::json::object());
  CHECK(error_fields(body_of(missing)) == "contact_id;content;provider_id;send_at;");
  auto foreign = user.message_to(0, 1h);
  foreign["contact_id"] = "999999";
  CHECK(error_fields(body_of(call(foreign))) == "contact_id;");
  auto unknown_provider = user.message_to(0, 1h);
  unknown_provider["provider_id"] = "999999";
  CHECK(error_fields(body_of(call(unknown_provider))) == "provider_id;");
  auto list = body_of(user.api.call("GET", "/api/scheduled-messages", nullptr, user.token));
  CHECK(list["meta"]["total"] == 1);
}

TEST_CASE("one user's creates sent at once are each answered on their own and stored once",
          "[http][messages]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    // Every fifth names a contact that is not the connection's: refused alone, whatever the
    // creates beside it in the same trip to the database do.
    constexpr int creates = 40;
    std::vector<nlohmann::json> bodies;
    for (int i = 0; i < creates; ++i) {
      auto body = user.message_to(static_cast<std::size_t>(i), 1h, "Note " + std::to_string(i));
      if (i % 5 == 0) {
        body["contact_id"] = "999999";
      }
      bodies.push_back(std::move(body));
    }
    std::vector<std::future<providers::outbound_response>> answers;
    answers.reserve(bodies.size());
    for (const auto& body : bodies) {
      answers.push_back(std::async(std::launch::async, [&user, &body] {
        return user.api.call("POST", "/api/scheduled-messages", body, user.token);
      }));
    }
    std::set<std::string> ids;
    for (int i = 0; i < creates; ++i) {
      INFO("create " << i);
      auto answer = answers[static_cast<std::size_t>(i)].get();
      if (i % 5 == 0) {
        CHECK(answer.status == 422);
        CHECK(error_fields(body_of(answer)) == "contact_id;");
        continue;
      }
      REQUIRE(answer.status == 201);
      auto created = body_of(answer);
      CHECK(created["content"] == "Note " + std::to_string(i));
      CHECK(created["contact"]["id"] == user.contacts[static_cast<std::size_t>(i)]);
      ids.insert(created["id"].get<std::string>());
    }
    CHECK(ids.size() == creates - creates / 5);
    auto list = body_of(user.api.call("GET", "/api/scheduled-messages", nullptr, user.token));
    CHECK(list["meta"]["total"] == creates - creates / 5);
  }
}

TEST_CASE("a disabled connection cannot schedule", "[http][messages]") {
  scheduling_user user;
  REQUIRE(user.api.call("PUT", "/api/providers/" + user.provider, {{"enabled", false}}, user.token)
              .status == 200);
  auto refused =
      user.api.call("POST", "/api/scheduled-messages", user.message_to(0, 1h), user.token);
  CHECK(refused.status == 422);
  CHECK(error_fields(body_of(refused)) == "provider_id;");
}

TEST_CASE("another user's messages and batches do not exist for a user", "[http][messages]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    auto mine = user.schedule(0, 1h);
    auto batch = body_of(user.api.call("POST", "/api/scheduled-messages/bulk",
                                       {{"provider_id", user.provider},
                                        {"contact_ids", {user.contacts[1], user.contacts[2]}},
                                        {"content", "Hi"},
                                        {"send_at", user.at(1h)}},
                                       user.token))["batch"];
    auto other = user.api.register_user("other@example.com");
    const std::string id = mine["id"];
    const std::string batch_id = batch["id"];
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/scheduled-messages/" + id},
             {"PUT", "/api/scheduled-messages/" + id},
             {"DELETE", "/api/scheduled-messages/" + id},
             {"GET", "/api/scheduled-messages/" + id + "/logs"},
             {"GET", "/api/batches/" + batch_id},
             {"DELETE", "/api/batches/" + batch_id}}) {
      INFO(method << " " << path);
      auto res = user.api.call(method, path, {{"content", "mine now"}}, other);
      CHECK(res.status == 404);
      CHECK(res.body.find("Your order") == std::string::npos);
    }
    auto theirs = body_of(user.api.call("GET", "/api/scheduled-messages", nullptr, other));
    CHECK(theirs["meta"]["total"] == 0);
    // Nor can another user schedule through this user's connection or to its contacts.
    auto stolen = user.api.call("POST", "/api/scheduled-messages", user.message_to(0, 1h), other);
    CHECK(stolen.status == 422);
    CHECK(user.message(id)["status"] == "pending");
  }
}

TEST_CASE("a pending message can be edited and re-timed, and cancelled once", "[http][messages]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    const std::string id = user.schedule(0, 1h)["id"];
    auto edited = user.api.call(
        "PUT", "/api/scheduled-messages/" + id,
        {{"content", "New text"}, {"send_at", user.at(2h)}, {"contact_id", user.contacts[5]}},
        user.token);
    REQUIRE(edited.status == 200);
    CHECK(body_of(edited)["content"] == "New text");
    CHECK(body_of(edited)["send_at"] == user.at(2h));
    CHECK(body_of(edited)["contact"]["id"] == user.contacts[5]);
    auto empty =
        user.api.call("PUT", "/api/scheduled-messages/" + id, nlohmann::json::object(), user.token);
    CHECK(empty.status == 422);
    auto cancelled = user.api.call("DELETE", "/api/scheduled-messages/" + id, nullptr, user.token);
    REQUIRE(cancelled.status == 200);
    CHECK(body_of(cancelled)["status"] == "cancelled");
    auto again = user.api.call("DELETE", "/api/scheduled-messages/" + id, nullptr, user.token);
    CHECK(again.status == 200);  // cancelling twice changes nothing and is no conflict
    CHECK(body_of(again)["status"] == "cancelled");
    auto late_edit =
        user.api.call("PUT", "/api/scheduled-messages/" + id, {{"content", "x"}}, user.token);
    CHECK(late_edit.status == 409);
    CHECK(body_of(late_edit)["error"]["code"] == "conflict");
    CHECK(user.events(id) == std::vector<std::string>{"created", "updated", "cancelled"});
  }
}

TEST_CASE("a bulk schedule stores every recipient in one batch, or none of them",
          "[http][messages][bulk]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    nlohmann::json ids = nlohmann::json::array();
    for (std::size_t i = 0; i < 10; ++i) {
      ids.push_back(user.contacts[i]);
    }
    nlohmann::json body{{"provider_id", user.provider},
                        {"contact_ids", ids},
                        {"content", "Sale"},
                        {"send_at", user.at(1h)}};
    auto bad = body;
    bad["contact_ids"].push_back("999999");
    auto refused = user.api.call("POST", "/api/scheduled-messages/bulk", bad, user.token);
    CHECK(refused.status == 422);
    CHECK(error_fields(body_of(refused)) == "contact_ids.10;");
    auto repeated = body;
    repeated["contact_ids"].push_back(user.contacts[0]);
    CHECK(user.api.call("POST", "/api/scheduled-messages/bulk", repeated, user.token).status ==
          422);
    auto empty = body;
    empty["contact_ids"] = nlohmann::json::array();
    CHECK(user.api.call("POST", "/api/scheduled-messages/bulk", empty, user.token).status == 422);
    CHECK(body_of(user.api.call("GET", "/api/scheduled-messages", nullptr,
                                user.token))["meta"]["total"] == 0);
    auto accepted = user.api.call("POST", "/api/scheduled-messages/bulk", body, user.token);
    REQUIRE(accepted.status == 202);
    auto batch = body_of(accepted)["batch"];
    CHECK(batch["total"] == 10);
    CHECK(batch["counts"]["pending"] == 10);
    const std::string batch_id = batch["id"];
    auto listed = body_of(
        user.api.call("GET", "/api/scheduled-messages?batch_id=" + batch_id, nullptr, user.token));
    CHECK(listed["meta"]["total"] == 10);
    CHECK(listed["data"][0]["batch_id"] == batch_id);
    // Cancelling one, then the batch: the rest are cancelled, the counts say so.
    const std::string first = listed["data"][0]["id"];
    REQUIRE(
        user.api.call("DELETE", "/api/scheduled-messages/" + first, nullptr, user.token).status ==
        200);
    auto cancelled = user.api.call("DELETE", "/api/batches/" + batch_id, nullptr, user.token);
    REQUIRE(cancelled.status == 200);
    CHECK(body_of(cancelled)["counts"]["cancelled"] == 10);
    CHECK(body_of(cancelled)["counts"]["pending"] == 0);
  }
}

TEST_CASE("a bulk of 10,000 recipients is accepted at once", "[http][messages][bulk][heavy]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    user.huggy.set_contact_count(10000);
    REQUIRE(
        user.api
            .call("POST", "/api/providers/" + user.provider + "/sync-contacts", nullptr, user.token)
            .status == 202);
    std::vector<std::string> ids;
    REQUIRE(testing::eventually(
        [&] {
          auto conn =
              body_of(user.api.call("GET", "/api/providers/" + user.provider, nullptr, user.token));
          return conn["sync"]["status"] == "succeeded" && conn["contacts_count"] == 10000;
        },
        std::chrono::seconds{120}));
    for (int page = 1; page <= 100; ++page) {
      auto rows = body_of(user.api.call(
          "GET",
          "/api/providers/" + user.provider + "/contacts?per_page=100&page=" + std::to_string(page),
          nullptr, user.token))["data"];
      for (const auto& row : rows) {
        ids.push_back(row["id"]);
      }
    }
    REQUIRE(ids.size() == 10000);
    nlohmann::json body{{"provider_id", user.provider},
                        {"contact_ids", ids},
                        {"content", "Black Friday"},
                        {"send_at", user.at(1h)}};
    auto accepted = user.api.call("POST", "/api/scheduled-messages/bulk", body, user.token);
    REQUIRE(accepted.status == 202);
    CHECK(body_of(accepted)["batch"]["counts"]["pending"] == 10000);
    auto listed =
        body_of(user.api.call("GET", "/api/scheduled-messages?per_page=1", nullptr, user.token));
    CHECK(listed["meta"]["total"] == 10000);
  }
}

TEST_CASE("an Idempotency-Key replays the first answer and refuses another body",
          "[http][messages][idempotency]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    auto body = user.message_to(0, 1h);
    auto first = user.api.call("POST", "/api/scheduled-messages", body, user.token,
                               {{"Idempotency-Key", "order-42"}});
    REQUIRE(first.status == 201);
    auto replay = user.api.call("POST", "/api/scheduled-messages", body, user.token,
                                {{"Idempotency-Key", "order-42"}});
    CHECK(replay.status == 201);
    CHECK(body_of(replay)["id"] == body_of(first)["id"]);
    CHECK(replay.header("idempotent-replayed") == std::optional<std::string_view>{"true"});
    auto other = user.message_to(1, 1h);
    auto reused = user.api.call("POST", "/api/scheduled-messages", other, user.token,
                                {{"Idempotency-Key", "order-42"}});
    CHECK(reused.status == 409);
    CHECK(body_of(user.api.call("GET", "/api/scheduled-messages", nullptr,
                                user.token))["meta"]["total"] == 1);
    // Keys belong to their user: another user's same key creates their own message.
    nlohmann::json bulk{{"provider_id", user.provider},
                        {"contact_ids", {user.contacts[2], user.contacts[3]}},
                        {"content", "Sale"},
                        {"send_at", user.at(1h)}};
    auto batch = user.api.call("POST", "/api/scheduled-messages/bulk", bulk, user.token,
                               {{"Idempotency-Key", "sale-1"}});
    auto batch_again = user.api.call("POST", "/api/scheduled-messages/bulk", bulk, user.token,
                                     {{"Idempotency-Key", "sale-1"}});
    CHECK(batch_again.status == 202);
    CHECK(body_of(batch_again)["batch"]["id"] == body_of(batch)["batch"]["id"]);
    CHECK(body_of(user.api.call("GET", "/api/scheduled-messages", nullptr,
                                user.token))["meta"]["total"] == 3);
    auto bad_key = user.api.call("POST", "/api/scheduled-messages", body, user.token,
                                 {{"Idempotency-Key", std::string(256, 'k')}});
    CHECK(bad_key.status == 422);
  }
}

TEST_CASE("a refused create with an Idempotency-Key stores nothing and leaves the key unused",
          "[http][messages][idempotency]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    const auto create = [&](const nlohmann::json& body) {
      return user.api.call("POST", "/api/scheduled-messages", body, user.token,
                           {{"Idempotency-Key", "order-7"}});
    };
    auto foreign = user.message_to(0, 1h);
    foreign["contact_id"] = "999999";
    CHECK(error_fields(body_of(create(foreign))) == "contact_id;");
    const auto enable = [&](bool enabled) {
      return user.api.call("PUT", "/api/providers/" + user.provider, {{"enabled", enabled}},
                           user.token);
    };
    REQUIRE(enable(false).status == 200);
    CHECK(error_fields(body_of(create(user.message_to(0, 1h)))) == "provider_id;");
    REQUIRE(enable(true).status == 200);
    CHECK(body_of(user.api.call("GET", "/api/scheduled-messages", nullptr,
                                user.token))["meta"]["total"] == 0);

    // The key was never used: the first allowed body takes it, and only it replays.
    auto body = user.message_to(2, 1h, "Your order shipped");
    auto first = create(body);
    REQUIRE(first.status == 201);
    CHECK(body_of(first)["contact"]["id"] == user.contacts[2]);
    CHECK(body_of(first)["content"] == "Your order shipped");
    CHECK(body_of(first)["status"] == "pending");
    auto again = create(body);
    CHECK(again.status == 201);
    CHECK(body_of(again)["id"] == body_of(first)["id"]);
    CHECK(again.header("idempotent-replayed") == std::optional<std::string_view>{"true"});
    auto history = body_of(user.api.call(
        "GET", "/api/scheduled-messages/" + body_of(first)["id"].get<std::string>() + "/logs",
        nullptr, user.token));
    REQUIRE(history["data"].size() == 1);
    CHECK(history["data"][0]["event"] == "created");
    CHECK(body_of(user.api.call("GET", "/api/scheduled-messages", nullptr,
                                user.token))["meta"]["total"] == 1);
  }
}

TEST_CASE("the list filters, sorts and pages a user's messages", "[http][messages][list]") {
  for (const char* backend : testing::both_backends) {
    INFO("backend: " << backend);
    scheduling_user user{backend};
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < 6; ++i) {
      ids.push_back(user.schedule(i, std::chrono::hours{6 - i},
                                  i % 2 == 0 ? "Invoice ready" : "Your ORDER shipped")["id"]);
    }
    const auto from = user.at(2h);
    const auto to = user.at(4h);
    user.api.clock().advance(1s);  // the cancel is the latest change
    REQUIRE(
        user.api.call("DELETE", "/api/scheduled-messages/" + ids[0], nullptr, user.token).status ==
        200);
    auto list = [&](const std::string& query) {
      auto res = user.api.call("GET", "/api/scheduled-messages" + query, nullptr, user.token);
      REQUIRE(res.status == 200);
      return body_of(res);
    };
    auto ids_of = [](const nlohmann::json& page) {
      std::vector<std::string> out;
      for (const auto& row : page["data"]) {
        out.push_back(row["id"]);
      }
      return out;
    };
    // Default: send_at ascending (the last scheduled is due first).
    CHECK(ids_of(list("")) ==
          std::vector<std::string>{ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]});
    CHECK(ids_of(list("?sort=-send_at")) ==
          std::vector<std::string>{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]});
    CHECK(ids_of(list("?sort=created_at")).front() == ids[0]);
    CHECK(ids_of(list("?sort=-updated_at")).front() == ids[0]);
    CHECK(ids_of(list("?sort=status")).front() == ids[0]);  // cancelled < pending
    CHECK(list("?status=pending")["meta"]["total"] == 5);
    CHECK(list("?status=cancelled,sent")["meta"]["total"] == 1);
    CHECK(list("?q=order")["meta"]["total"] == 3);
    CHECK(list("?q=%25")["meta"]["total"] == 0);
    CHECK(list("?contact_id=" + user.contacts[2])["meta"]["total"] == 1);
    CHECK(list("?provider_id=" + user.provider)["meta"]["total"] == 6);
    CHECK(list("?provider_id=999999")["meta"]["total"] == 0);
    std::string window{"?send_at_from="};
    window += from;
    window += "&send_at_to=";
    window += to;
    CHECK(list(window)["meta"]["total"] == 3);
    auto page = list("?per_page=4&page=2");
    CHECK(page["meta"]["total"] == 6);
    CHECK(page["meta"]["last_page"] == 2);
    CHECK(page["data"].size() == 2);
    for (const char* bad : {"?status=lost", "?sort=content", "?per_page=101", "?contact_id=abc",
                            "?send_at_from=yesterday", "?colour=red"}) {
      INFO(bad);
      CHECK(user.api.call("GET", std::string{"/api/scheduled-messages"} + bad, nullptr, user.token)
                .status == 422);
    }
  }
}
