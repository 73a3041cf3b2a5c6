#include "tests/providers/huggy/huggy_connection.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

// Routes found ahead of the due time (the contact's open chat), and sends that use them.

using schedulerd::providers::failure_kind;
using schedulerd::testing::error_of;
using schedulerd::testing::fake_huggy;
using schedulerd::testing::huggy_connection;
using schedulerd::testing::value_of;

namespace {

// The fake's contact at `index`, as the connector names it.
std::string contact(std::int64_t index) {
  return std::to_string(fake_huggy::contact_id(index));
}

}  // namespace

TEST_CASE_METHOD(huggy_connection, "a route is the contact's open chat, found without opening one",
                 "[providers][huggy]") {
  const auto open = huggy.add_chat(fake_huggy::contact_id(1), "in_chat");
  huggy.add_chat(fake_huggy::contact_id(2), "finishing");

  const auto routes = connect()->find_routes({contact(1), contact(2), contact(3)});

  CHECK(routes == std::vector<std::string>{std::to_string(open), "", ""});
  CHECK(huggy.server().count("/v3/chats") == 3);
  CHECK(huggy.chats_of(fake_huggy::contact_id(3)).empty());  // a lookup never opens a chat
  CHECK(huggy.deliveries().empty());
}

TEST_CASE_METHOD(huggy_connection, "a failed lookup is no route, and no failure",
                 "[providers][huggy]") {
  huggy.add_chat(fake_huggy::contact_id(1), "in_chat");
  huggy.fail_next("/chats", 503, fake_huggy::always);

  CHECK(connect()->find_routes({contact(1), contact(2)}) == std::vector<std::string>{"", ""});
}

TEST_CASE_METHOD(huggy_connection, "flow mode needs no route and looks nothing up",
                 "[providers][huggy]") {
  huggy.add_chat(fake_huggy::contact_id(1), "in_chat");
  auto connector = connect({}, {{"send_mode", "flow"},
                                {"flow_id", std::to_string(fake_huggy::flow_id)},
                                {"channel_uuid", fake_huggy::channel_uuid}});

  CHECK(connector->find_routes({contact(1)}) == std::vector<std::string>{""});
  CHECK(huggy.server().requests().empty());
}

TEST_CASE_METHOD(huggy_connection, "a text with a route is posted there in one call",
                 "[providers][huggy]") {
  const auto open = huggy.add_chat(fake_huggy::contact_id(1), "in_chat");
  auto connector = connect();
  const auto routes = connector->find_routes({contact(1)});
  huggy.server().clear_requests();

  const auto outcomes = connector->send_texts({{contact(1), "Oi", routes.at(0)}});

  CHECK(value_of(outcomes.at(0)).http_status == 201);
  REQUIRE(huggy.server().requests().size() == 1);
  CHECK(huggy.server().requests()[0].method == "POST");
  REQUIRE(huggy.deliveries().size() == 1);
  CHECK(huggy.deliveries()[0].chat_id == open);
}

TEST_CASE_METHOD(huggy_connection,
                 "a text whose route closed since goes into the contact's chat of now",
                 "[providers][huggy]") {
  const auto closed = huggy.add_chat(fake_huggy::contact_id(1), "in_chat");
  const auto gone = huggy.add_chat(fake_huggy::contact_id(2), "in_chat");
  auto connector = connect();
  const auto routes = connector->find_routes({contact(1), contact(2)});
  huggy.set_situation(closed, "finishing");  // Huggy refuses a post into it with a 400
  huggy.set_situation(gone, "finishing");
  const auto reopened = huggy.add_chat(fake_huggy::contact_id(2), "in_chat");

  const auto outcomes =
      connector->send_texts({{contact(1), "um", routes.at(0)}, {contact(2), "dois", routes.at(1)}});

  value_of(outcomes.at(0));
  value_of(outcomes.at(1));
  REQUIRE(huggy.deliveries().size() == 2);
  for (const auto& delivery : huggy.deliveries()) {
    if (delivery.contact_id == fake_huggy::contact_id(1)) {
      // No open chat left: a new one was opened for the text.
      REQUIRE(huggy.chats_of(delivery.contact_id).size() == 2);
      CHECK(delivery.chat_id == huggy.chats_of(delivery.contact_id)[1].id);
    } else {
      CHECK(delivery.chat_id == reopened);
    }
  }
}

TEST_CASE_METHOD(huggy_connection, "a route that refuses the text itself keeps the refusal",
                 "[providers][huggy]") {
  const auto open = huggy.add_chat(fake_huggy::contact_id(1), "in_chat");
  auto connector = connect();
  const auto routes = connector->find_routes({contact(1)});
  huggy.fail_next("/chats/" + std::to_string(open) + "/messages", 400, 1, {},
                  R"({"reason":"Mensagem inválida"})");

  const auto outcomes = connector->send_texts({{contact(1), "Oi", routes.at(0)}});

  const auto refused = error_of(outcomes.at(0));
  CHECK(refused.kind == failure_kind::permanent);
  CHECK(refused.http_status == 400);
  CHECK(refused.message.find("Mensagem inválida") != std::string::npos);
  CHECK(huggy.deliveries().empty());  // the chat of now is the route: not posted twice
  CHECK(huggy.chats_of(fake_huggy::contact_id(1)).size() == 1);
}
