#include "providers/huggy/connector.hpp"

#include "tests/providers/huggy/huggy_connection.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace std::chrono_literals;
using schedulerd::providers::failure_kind;
using schedulerd::testing::error_of;
using schedulerd::testing::fake_huggy;
using schedulerd::testing::huggy_connection;
using schedulerd::testing::value_of;

namespace {

// The last request the fake received for `path`.
schedulerd::http::request last_request(fake_huggy& huggy, const std::string& path) {
  const auto all = huggy.server().requests();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->path == path) return *it;
  }
  FAIL("no request for " << path);
  return {};
}

}  // namespace

TEST_CASE_METHOD(huggy_connection, "a valid token passes the connection test and names the agent",
                 "[providers][huggy]") {
  const auto check = value_of(connect()->test_connection());
  CHECK(check.account == "Ana Atendente");
  const auto request = last_request(huggy, "/v3/agents/profile");
  CHECK(request.header("authorization") == "Bearer " + std::string{fake_huggy::access_token});
  CHECK(request.header("accept") == "application/json");

  huggy.set_profile({{"id", 7}, {"name", ""}, {"email", "agente@empresa.com.br"}});
  CHECK(value_of(connect()->test_connection()).account == "agente@empresa.com.br");
}

TEST_CASE_METHOD(huggy_connection, "a token Huggy does not accept rejects the credentials",
                 "[providers][huggy]") {
  const std::string token = "not-a-jwt-but-a-long-secret";
  const auto& error = error_of(connect({{"access_token", token}})->test_connection());
  CHECK(error.kind == failure_kind::rejected_credentials);
  CHECK(error.http_status == 401);
  CHECK(error.message.find("The JWT string must have two dots") != std::string::npos);
  CHECK(error.message.find(token) == std::string::npos);
  CHECK(huggy.grants("refresh_token") == 0);  // nothing to refresh with
}

TEST_CASE_METHOD(huggy_connection, "a company id puts every call under its company",
                 "[providers][huggy]") {
  auto connector = connect({}, {{"company_id", fake_huggy::company_id}});
  value_of(connector->test_connection());
  value_of(connector->list_contacts(0));
  CHECK(huggy.server().count("/v3/companies/38291/agents/profile") == 1);
  CHECK(huggy.server().count("/v3/companies/38291/contacts") == 1);
  CHECK(huggy.server().count("/v3/agents/profile") == 0);

  const auto& refused = error_of(connect({}, {{"company_id", "999"}})->test_connection());
  CHECK(refused.kind == failure_kind::permanent);
  CHECK(refused.http_status == 403);
}

TEST_CASE_METHOD(huggy_connection, "contacts are read page by page until a short or empty page",
                 "[providers][huggy]") {
  auto connector = connect();
  const auto first = value_of(connector->list_contacts(0));
  REQUIRE(first.contacts.size() == 20);
  CHECK(first.more);
  CHECK(first.contacts[0].external_id == std::to_string(fake_huggy::contact_id(0)));
  CHECK(first.contacts[0].name == "José Silva");
  CHECK(first.contacts[0].phone == fake_huggy::contact_phone(0));
  CHECK(first.contacts[3].email.empty());  // Huggy's null
  CHECK(last_request(huggy, "/v3/contacts").query == "page=0");

  CHECK(value_of(connector->list_contacts(1)).more);
  const auto last = value_of(connector->list_contacts(2));
  CHECK(last.contacts.size() == 5);
  CHECK_FALSE(last.more);

  huggy.set_contact_count(40);
  CHECK(value_of(connector->list_contacts(1)).more);  // a full page cannot tell
  const auto past_end = value_of(connector->list_contacts(2));
  CHECK(past_end.contacts.empty());
  CHECK_FALSE(past_end.more);
}

TEST_CASE_METHOD(huggy_connection, "a remote search sends only the digits of the phone",
                 "[providers][huggy]") {
  auto connector = connect();
  const auto found = value_of(connector->search_contacts("+55 (11) 3265-4321"));  // a landline
  CHECK(last_request(huggy, "/v3/contacts").query == "phone=551132654321");
  CHECK(huggy.server().count("/v3/contacts") == 1);
  CHECK(found.empty());

  huggy.server().clear_requests();
  CHECK(value_of(connector->search_contacts("José")).empty());
  CHECK(huggy.server().requests().empty());  // a name cannot match a phone: no call
}

TEST_CASE_METHOD(huggy_connection,
                 "a remote search finds a Brazilian mobile saved with or without its ninth digit",
                 "[providers][huggy]") {
  auto connector = connect();
  // Contact 7 was saved without the ninth digit, contact 8 with it; each is typed the other way.
  const auto old_form = fake_huggy::contact_phone(7);
  REQUIRE(old_form.size() == 12);
  const auto typed_new = "+55 11 9" + old_form.substr(4);
  auto found = value_of(connector->search_contacts(typed_new));
  REQUIRE(found.size() == 1);
  CHECK(found[0].external_id == std::to_string(fake_huggy::contact_id(7)));

  const auto new_form = fake_huggy::contact_phone(8);
  REQUIRE(new_form.size() == 13);
  found = value_of(connector->search_contacts(new_form.substr(0, 4) + new_form.substr(5)));
  REQUIRE(found.size() == 1);
  CHECK(found[0].external_id == std::to_string(fake_huggy::contact_id(8)));

  // Typed as saved, it is found once, though both forms are asked.
  huggy.server().clear_requests();
  found = value_of(connector->search_contacts(new_form));
  CHECK(found.size() == 1);
  CHECK(huggy.server().count("/v3/contacts") == 2);
}

TEST_CASE_METHOD(huggy_connection, "chat mode opens a chat when there is none, then sends into it",
                 "[providers][huggy]") {
  const auto contact = fake_huggy::contact_id(2);
  auto connector = connect();
  const auto sent = value_of(connector->send_text(std::to_string(contact), "Olá, João!"));
  CHECK(last_request(huggy, "/v3/chats").query == "customer=" + std::to_string(contact));
  const auto chats = huggy.chats_of(contact);
  REQUIRE(chats.size() == 1);
  const auto deliveries = huggy.deliveries();
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].kind == "message");
  CHECK(deliveries[0].chat_id == chats[0].id);
  CHECK(deliveries[0].body == nlohmann::json{{"text", "Olá, João!"}});
  CHECK(sent.provider_message_id == "9000001");
  CHECK(sent.http_status == 201);
  const auto posted = last_request(huggy, "/v3/chats/" + std::to_string(chats[0].id) + "/messages");
  CHECK(posted.header("content-type") == "application/json");

  value_of(connector->send_text(std::to_string(contact), "De novo"));
  CHECK(huggy.server().count("/v3/contacts/" + std::to_string(contact) + "/chats") == 1);
  CHECK(huggy.sends_to(contact) == 2);
}

TEST_CASE_METHOD(huggy_connection, "chat mode skips a finishing chat for the open one",
                 "[providers][huggy]") {
  const auto contact = fake_huggy::contact_id(4);
  huggy.add_chat(contact, "finishing");
  const auto open = huggy.add_chat(contact, "in_chat");
  value_of(connect()->send_text(std::to_string(contact), "Oi"));
  REQUIRE(huggy.deliveries().size() == 1);
  CHECK(huggy.deliveries()[0].chat_id == open);
  CHECK(huggy.chats_of(contact).size() == 2);
}

TEST_CASE_METHOD(huggy_connection, "a chat still with the bot refuses the text with Huggy's reason",
                 "[providers][huggy]") {
  const auto contact = fake_huggy::contact_id(5);
  huggy.add_chat(contact, "auto");
  const auto& error = error_of(connect()->send_text(std::to_string(contact), "Oi"));
  CHECK(error.kind == failure_kind::permanent);
  CHECK(error.http_status == 403);
  CHECK(error.message == "Huggy answered HTTP 403: Desculpe, você não tem permissão");
  CHECK(huggy.sends_to(contact) == 0);
}

TEST_CASE_METHOD(huggy_connection, "flow mode runs the flow with the text as its message variable",
                 "[providers][huggy]") {
  const auto contact = fake_huggy::contact_id(6);
  auto connector = connect({}, {{"send_mode", "flow"},
                                {"flow_id", std::to_string(fake_huggy::flow_id)},
                                {"channel_uuid", fake_huggy::channel_uuid}});
  const auto sent = value_of(connector->send_text(std::to_string(contact), "Lembrete"));
  const auto deliveries = huggy.deliveries();
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].kind == "flow");
  CHECK(deliveries[0].body == nlohmann::json{{"uuid", fake_huggy::channel_uuid},
                                             {"flowId", fake_huggy::flow_id},
                                             {"variables", {{"message", "Lembrete"}}},
                                             {"whenInChat", true},
                                             {"whenWaitForChat", true},
                                             {"whenInAuto", true}});
  CHECK(last_request(huggy, "/v3/contacts/" + std::to_string(contact) + "/execFlow").method ==
        "PUT");
  CHECK(sent.provider_message_id == std::to_string(deliveries[0].chat_id));

  auto wrong_flow = connect(
      {}, {{"send_mode", "flow"}, {"flow_id", "99"}, {"channel_uuid", fake_huggy::channel_uuid}});
  const auto& error = error_of(wrong_flow->send_text(std::to_string(contact), "Lembrete"));
  CHECK(error.kind == failure_kind::permanent);
  CHECK(error.http_status == 400);
  CHECK(error.message == "Huggy answered HTTP 400: Fluxo não encontrado");
}

TEST_CASE_METHOD(huggy_connection, "a 429 is retryable after the wait Retry-After asks for",
                 "[providers][huggy]") {
  huggy.fail_next("/contacts", 429, 1, "120");
  const auto& error = error_of(connect()->list_contacts(0));
  CHECK(error.kind == failure_kind::retryable);
  CHECK(error.http_status == 429);
  CHECK(error.retry_after == 120s);

  huggy.fail_next("/contacts", 429, 1, "86400");
  CHECK(error_of(connect()->list_contacts(0)).retry_after == 3600s);  // clamped to an hour
}

TEST_CASE_METHOD(huggy_connection, "server errors are retryable, a 503 with its Retry-After",
                 "[providers][huggy]") {
  huggy.fail_next("/agents/profile", 503, 1, "30");
  const auto& unavailable = error_of(connect()->test_connection());
  CHECK(unavailable.kind == failure_kind::retryable);
  CHECK(unavailable.retry_after == 30s);

  huggy.fail_next("/agents/profile", 500);
  const auto& failed = error_of(connect()->test_connection());
  CHECK(failed.kind == failure_kind::retryable);
  CHECK(failed.http_status == 500);
  CHECK_FALSE(failed.retry_after.has_value());

  huggy.fail_next("/agents/profile", 408);
  CHECK(error_of(connect()->test_connection()).kind == failure_kind::retryable);
}

TEST_CASE_METHOD(huggy_connection, "a 400 with a reason is permanent and quotes the reason",
                 "[providers][huggy]") {
  huggy.fail_next("/contacts", 400, 1, "", R"({"reason":"Parâmetro page inválido"})");
  const auto& error = error_of(connect()->list_contacts(0));
  CHECK(error.kind == failure_kind::permanent);
  CHECK(error.message == "Huggy answered HTTP 400: Parâmetro page inválido");
}

TEST_CASE_METHOD(huggy_connection, "an answer slower than the timeout is retryable",
                 "[providers][huggy]") {
  timeout = 100ms;
  huggy.set_latency(2s);
  const auto& error = error_of(connect()->test_connection());
  CHECK(error.kind == failure_kind::retryable);
  CHECK(error.http_status == 0);
  CHECK(error.message == "Huggy did not answer in time");
}

TEST_CASE_METHOD(huggy_connection, "an unreadable success is permanent", "[providers][huggy]") {
  huggy.fail_next("/agents/profile", 200, 1, "", "<html>Manutenção</html>");
  const auto& error = error_of(connect()->test_connection());
  CHECK(error.kind == failure_kind::permanent);
  CHECK(error.http_status == 200);
  CHECK(error.message == "Huggy answered an agent profile without an id");
}

TEST_CASE_METHOD(huggy_connection, "no error message repeats a secret Huggy quoted back",
                 "[providers][huggy]") {
  const std::string token = fake_huggy::access_token;
  huggy.fail_next("/contacts", 400, 1, "",
                  nlohmann::json{{"reason", "Token " + token + " inválido"}}.dump());
  const auto& error = error_of(connect()->list_contacts(0));
  CHECK(error.message.find(token) == std::string::npos);
  CHECK(error.message == "Huggy answered HTTP 400: Token [redacted] inválido");
}
