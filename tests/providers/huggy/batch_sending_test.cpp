#include "tests/providers/huggy/huggy_connection.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using schedulerd::providers::failure_kind;
using schedulerd::providers::text_to_send;
using schedulerd::testing::error_of;
using schedulerd::testing::fake_huggy;
using schedulerd::testing::huggy_connection;
using schedulerd::testing::value_of;

namespace {

// A text for the fake's contact at `index`.
text_to_send text_for_contact(std::int64_t index, std::string text) {
  return {std::to_string(fake_huggy::contact_id(index)), std::move(text), {}};
}

}  // namespace

TEST_CASE_METHOD(huggy_connection, "each text of a batch gets its own outcome, in order",
                 "[providers][huggy]") {
  const auto with_chat = fake_huggy::contact_id(1);
  const auto open = huggy.add_chat(with_chat, "in_chat");
  const auto refusing = fake_huggy::contact_id(3);
  const auto refusing_chat = huggy.add_chat(refusing, "in_chat");
  huggy.fail_next("/chats/" + std::to_string(refusing_chat) + "/messages", 503);
  const auto chatless = fake_huggy::contact_id(2);

  const auto outcomes = connect()->send_texts({text_for_contact(1, "Oi, um"),
                                               {"", "sem contato", {}},
                                               text_for_contact(3, "Oi, três"),
                                               text_for_contact(2, "Oi, dois")});

  REQUIRE(outcomes.size() == 4);
  CHECK_FALSE(value_of(outcomes[0]).provider_message_id.empty());
  CHECK(error_of(outcomes[1]).kind == failure_kind::permanent);
  const auto refused = error_of(outcomes[2]);
  CHECK(refused.kind == failure_kind::retryable);
  CHECK(refused.http_status == 503);
  CHECK(value_of(outcomes[3]).http_status == 201);

  CHECK(huggy.sends_to(with_chat) == 1);
  CHECK(huggy.sends_to(refusing) == 0);
  CHECK(huggy.sends_to(chatless) == 1);
  REQUIRE(huggy.chats_of(chatless).size() == 1);  // opened for the text, and only for it
  CHECK(huggy.chats_of(with_chat).size() == 1);
  for (const auto& delivery : huggy.deliveries()) {
    if (delivery.contact_id == with_chat) {
      CHECK(delivery.chat_id == open);
      CHECK(delivery.body == nlohmann::json{{"text", "Oi, um"}});
    } else {
      CHECK(delivery.chat_id == huggy.chats_of(chatless)[0].id);
      CHECK(delivery.body == nlohmann::json{{"text", "Oi, dois"}});
    }
  }
}

TEST_CASE_METHOD(huggy_connection, "a batch's calls overlap instead of waiting for each other",
                 "[providers][huggy]") {
  // Twelve texts into chats that exist take two calls each: 24 round trips of 200 ms one after
  // another (4.8 s), two when each step's calls go out together.
  std::vector<text_to_send> texts;
  for (std::int64_t i = 0; i < 12; ++i) {
    huggy.add_chat(fake_huggy::contact_id(i), "in_chat");
    texts.push_back(text_for_contact(i, "Oi " + std::to_string(i)));
  }
  huggy.set_latency(200ms);

  const auto started = std::chrono::steady_clock::now();
  const auto outcomes = connect()->send_texts(texts);
  const auto took = std::chrono::steady_clock::now() - started;

  REQUIRE(outcomes.size() == texts.size());
  for (const auto& outcome : outcomes) value_of(outcome);
  CHECK(huggy.deliveries().size() == texts.size());
  CHECK(took < 2400ms);  // half the sequential time, whatever the machine's load
}

TEST_CASE_METHOD(huggy_connection, "one refresh serves every text of a batch refused with a 401",
                 "[providers][huggy]") {
  auto connector = connect(stale_credentials());
  const auto outcomes = connector->send_texts(
      {text_for_contact(5, "um"), text_for_contact(6, "dois"), text_for_contact(7, "três")});

  for (const auto& outcome : outcomes) value_of(outcome);
  CHECK(connector->credentials_version() == 1);
  CHECK(huggy.server().count("/oauth/access_token") == 1);
  CHECK(huggy.deliveries().size() == 3);
}

TEST_CASE_METHOD(huggy_connection, "a sender's batch refused with a 401 fails every text at once",
                 "[providers][huggy]") {
  // A sender holds no refresh token: the connector that owns the connection renews it.
  auto credentials = stale_credentials();
  credentials.erase("refresh_token");
  auto sender = connect(credentials);
  const auto outcomes =
      sender->send_texts({text_for_contact(5, "um"), text_for_contact(6, "dois")});

  REQUIRE(outcomes.size() == 2);
  for (const auto& outcome : outcomes) {
    CHECK(error_of(outcome).kind == failure_kind::rejected_credentials);
  }
  CHECK(huggy.server().count("/oauth/access_token") == 0);
  CHECK(huggy.deliveries().empty());
}

TEST_CASE_METHOD(huggy_connection, "flow mode runs a batch's flows together, one per text",
                 "[providers][huggy]") {
  auto connector = connect({}, {{"send_mode", "flow"},
                                {"flow_id", std::to_string(fake_huggy::flow_id)},
                                {"channel_uuid", fake_huggy::channel_uuid}});
  const auto outcomes = connector->send_texts(
      {text_for_contact(1, "um"), {"", "ninguém", {}}, text_for_contact(2, "dois")});

  REQUIRE(outcomes.size() == 3);
  value_of(outcomes[0]);
  CHECK(error_of(outcomes[1]).kind == failure_kind::permanent);
  value_of(outcomes[2]);
  const auto deliveries = huggy.deliveries();
  REQUIRE(deliveries.size() == 2);
  for (const auto& delivery : deliveries) CHECK(delivery.kind == "flow");
}
