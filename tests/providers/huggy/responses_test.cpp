#include "providers/huggy/responses.hpp"

#include "domain/outcome.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using schedulerd::domain::errc;
namespace huggy = schedulerd::providers::huggy;

TEST_CASE("a contacts page is read from Huggy's bare array", "[providers][huggy]") {
  auto contacts = huggy::parse_contacts(R"([
    {"id": 18345, "name": "Maria Souza", "email": "maria@example.com.br", "phone": "5562999990001",
     "mobile": null, "photo": "https://example.com/p.png", "city": "Goiania"},
    {"id": 18346, "name": "Jo\u00e3o", "email": null, "phone": null, "mobile": "5511988887777"},
    {"id": "18347", "name": null}
  ])");
  REQUIRE(contacts);
  REQUIRE(contacts->size() == 3);
  CHECK((*contacts)[0].external_id == "18345");
  CHECK((*contacts)[0].name == "Maria Souza");
  CHECK((*contacts)[0].email == "maria@example.com.br");
  CHECK((*contacts)[0].phone == "5562999990001");
  CHECK((*contacts)[1].name == "Jo\xC3\xA3o");
  CHECK((*contacts)[1].email.empty());
  CHECK((*contacts)[1].phone == "5511988887777");  // mobile when there is no phone
  CHECK((*contacts)[2].external_id == "18347");
  CHECK((*contacts)[2].name.empty());
}

TEST_CASE("an empty page ends the contact list, and an envelope is accepted",
          "[providers][huggy]") {
  auto empty = huggy::parse_contacts("[]");
  REQUIRE(empty);
  CHECK(empty->empty());
  auto wrapped = huggy::parse_contacts(R"({"data": [{"id": 7, "name": "Ana"}]})");
  REQUIRE(wrapped);
  REQUIRE(wrapped->size() == 1);
  CHECK(wrapped->front().external_id == "7");
}

TEST_CASE("contacts without a usable id are skipped, not invented", "[providers][huggy]") {
  auto contacts = huggy::parse_contacts(
      R"([{"name": "no id"}, {"id": null}, {"id": -3}, {"id": 1.5}, {"id": ""}, {"id": true},
          "text", 42, {"id": 9}])");
  REQUIRE(contacts);
  REQUIRE(contacts->size() == 1);
  CHECK(contacts->front().external_id == "9");
}

TEST_CASE("a contact list that is not a list fails as an upstream error", "[providers][huggy]") {
  for (const char* body : {"", "<html>502 Bad Gateway</html>", "{}", R"({"data": {}})", "null"}) {
    INFO(body);
    auto contacts = huggy::parse_contacts(body);
    REQUIRE_FALSE(contacts);
    CHECK(contacts.error().code == errc::upstream_failed);
  }
}

TEST_CASE("one contact is read, and one without an id is refused", "[providers][huggy]") {
  auto found = huggy::parse_contact(R"({"id": 501, "name": "Pedro", "phone": "5521977776666"})");
  REQUIRE(found);
  CHECK(found->external_id == "501");
  CHECK(found->phone == "5521977776666");
  auto missing = huggy::parse_contact(R"({"name": "Pedro"})");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "Huggy answered a contact without an id");
}

TEST_CASE("a token grant keeps its lifetime and an optional refresh token", "[providers][huggy]") {
  auto grant = huggy::parse_token_grant(
      R"({"token_type": "Bearer", "expires_in": 15552000, "access_token": "eyJ0.a.b",
          "refresh_token": "def50200aa"})");
  REQUIRE(grant);
  CHECK(grant->access_token == "eyJ0.a.b");
  CHECK(grant->refresh_token == "def50200aa");
  CHECK(grant->expires_in_s == 15552000);

  auto without_refresh = huggy::parse_token_grant(R"({"access_token": "x", "expires_in": "3600"})");
  REQUIRE(without_refresh);
  CHECK(without_refresh->refresh_token.empty());
  CHECK(without_refresh->expires_in_s == 3600);

  auto unknown_lifetime = huggy::parse_token_grant(R"({"access_token": "x", "expires_in": -5})");
  REQUIRE(unknown_lifetime);
  CHECK_FALSE(unknown_lifetime->expires_in_s);
}

TEST_CASE("a token answer without an access token is refused without echoing it",
          "[providers][huggy]") {
  auto refused = huggy::parse_token_grant(
      R"({"error": "invalid_request", "refresh_token": "secret-refresh-value"})");
  REQUIRE_FALSE(refused);
  const auto info = refused.error();
  CHECK(info.code == errc::upstream_failed);
  CHECK(info.message.find("secret-refresh-value") == std::string::npos);
}

TEST_CASE("the agent profile names who the token belongs to", "[providers][huggy]") {
  auto profile = huggy::parse_agent_profile(
      R"({"id": 1001, "name": "Carla", "email": "carla@example.com", "photo": null})");
  REQUIRE(profile);
  CHECK(profile->id == "1001");
  CHECK(profile->name == "Carla");
  CHECK(profile->email == "carla@example.com");
  CHECK_FALSE(huggy::parse_agent_profile(R"({"name": "Carla"})"));
}

TEST_CASE("chats are read with their situation", "[providers][huggy]") {
  auto one = huggy::parse_chat(R"({"id": 777, "situation": "in_chat", "contactId": 18345})");
  REQUIRE(one);
  CHECK(one->id == "777");
  CHECK(one->situation == "in_chat");
  auto list = huggy::parse_chats(
      R"([{"id": 1, "situation": "finishing"}, {"id": 2, "situation": "auto"}, {"x": 3}])");
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[1].situation == "auto");
  CHECK_FALSE(huggy::parse_chat("[]"));
  CHECK_FALSE(huggy::parse_chats(R"({"id": 1})"));
}

TEST_CASE("a sent message yields Huggy's message id", "[providers][huggy]") {
  auto id = huggy::parse_sent_message(
      R"({"id": 99001, "text": "Oi!", "senderType": "agent", "sendAt": "2026-12-01 10:00:00"})");
  REQUIRE(id);
  CHECK(*id == "99001");
  CHECK_FALSE(huggy::parse_sent_message(R"({"text": "Oi!"})"));
}

TEST_CASE("a flow run is read from JSON, text or nothing", "[providers][huggy]") {
  auto json_run = huggy::parse_flow_run(R"({"reason": "Flow executado", "chatID": 4242})");
  CHECK(json_run.chat_id == "4242");
  CHECK(json_run.reason == "Flow executado");
  CHECK(huggy::parse_flow_run(R"({"chatId": "17"})").chat_id == "17");
  auto text_run = huggy::parse_flow_run("OK\n");
  CHECK(text_run.chat_id.empty());
  CHECK(text_run.reason == "OK ");
  CHECK(huggy::parse_flow_run("").reason.empty());
}

TEST_CASE("a failure is described by Huggy's own words, on one bounded line",
          "[providers][huggy]") {
  CHECK(huggy::describe_failure(
            403, R"({"reason": "Desculpe, voc\u00ea n\u00e3o tem permiss\u00e3o"})") ==
        "Huggy answered HTTP 403: Desculpe, voc\xC3\xAA n\xC3\xA3o tem permiss\xC3\xA3o");
  CHECK(
      huggy::describe_failure(
          401,
          R"({"error": "access_denied", "message": "The resource owner or authorization server denied the request.", "hint": "The JWT string must have two dots"})") ==
      "Huggy answered HTTP 401: The resource owner or authorization server denied the request. "
      "(The JWT string must have two dots)");
  CHECK(huggy::describe_failure(400, R"({"error": "invalid_request"})") ==
        "Huggy answered HTTP 400: invalid_request");
  CHECK(huggy::describe_failure(502, "<html>\r\nBad Gateway</html>") ==
        "Huggy answered HTTP 502: <html>  Bad Gateway</html>");
  CHECK(huggy::describe_failure(500, "") == "Huggy answered HTTP 500");
  CHECK(huggy::describe_failure(429, "{}") == "Huggy answered HTTP 429");
}

TEST_CASE("a described failure stays short and is valid UTF-8 whatever the body",
          "[providers][huggy]") {
  const std::string long_reason(5000, 'x');
  auto described = huggy::describe_failure(400, R"({"reason": ")" + long_reason + R"("})");
  CHECK(described.size() < 260);
  auto binary = huggy::describe_failure(500, std::string("\xFF\xFE garbage \xE2\x82", 13));
  CHECK(binary == "Huggy answered HTTP 500: ?? garbage ??");
  CHECK_NOTHROW(nlohmann::json(binary).dump());
}
