#include "providers/huggy/sending.hpp"

#include "domain/url_encoding.hpp"
#include "providers/huggy/failures.hpp"
#include "providers/huggy/responses.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace schedulerd::providers::huggy {

namespace {

// Invalid UTF-8 in a text becomes U+FFFD rather than an exception: the send still happens.
std::string dump(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Adds one call's latency and status to what the send reports so far.
void account(sent_text& sent, const outbound_response& response) {
  sent.latency += response.latency;
  sent.http_status = response.status;
}

call_error no_contact() {
  return call_error{failure_kind::permanent, 0, "The message names no Huggy contact", std::nullopt};
}

// The id of the contact's chat that can take a message, opening one when there is none.
call_result<std::string> open_chat(session& api, const std::string& contact, sent_text& sent) {
  auto listed = api.call("GET", "/chats?customer=" + contact);
  if (auto* failed = std::get_if<call_error>(&listed)) return std::move(*failed);
  const auto& list_response = std::get<outbound_response>(listed);
  account(sent, list_response);
  auto chats = parse_chats(list_response.body);
  if (!chats) return unreadable(list_response, chats.error());
  const auto open = std::find_if(chats->begin(), chats->end(),
                                 [](const chat& c) { return c.situation != "finishing"; });
  if (open != chats->end()) return open->id;

  auto created = api.call("POST", "/contacts/" + contact + "/chats", "{}");
  if (auto* failed = std::get_if<call_error>(&created)) return std::move(*failed);
  const auto& create_response = std::get<outbound_response>(created);
  account(sent, create_response);
  auto fresh = parse_chat(create_response.body);
  if (!fresh) return unreadable(create_response, fresh.error());
  return fresh->id;
}

}  // namespace

call_result<sent_text> send_in_chat(session& api, std::string_view contact_id,
                                    std::string_view text) {
  if (contact_id.empty()) return no_contact();
  sent_text sent;
  auto chat_id = open_chat(api, domain::url_encode(contact_id), sent);
  if (auto* failed = std::get_if<call_error>(&chat_id)) return std::move(*failed);

  const auto body = dump({{"text", text}});
  auto posted = api.call(
      "POST", "/chats/" + domain::url_encode(std::get<std::string>(chat_id)) + "/messages", body);
  if (auto* failed = std::get_if<call_error>(&posted)) return std::move(*failed);
  const auto& response = std::get<outbound_response>(posted);
  account(sent, response);
  auto message_id = parse_sent_message(response.body);
  if (!message_id) return unreadable(response, message_id.error());
  sent.provider_message_id = std::move(*message_id);
  return sent;
}

call_result<sent_text> send_by_flow(session& api, const connection_settings& settings,
                                    std::string_view contact_id, std::string_view text) {
  if (contact_id.empty()) return no_contact();
  const auto body = dump({{"uuid", settings.channel_uuid},
                          {"flowId", settings.flow_id},
                          {"variables", {{"message", text}}},
                          {"whenInChat", true},
                          {"whenWaitForChat", true},
                          {"whenInAuto", true}});
  auto ran = api.call("PUT", "/contacts/" + domain::url_encode(contact_id) + "/execFlow", body);
  if (auto* failed = std::get_if<call_error>(&ran)) return std::move(*failed);
  const auto& response = std::get<outbound_response>(ran);
  sent_text sent;
  account(sent, response);
  // Huggy's execFlow answer has no documented shape: any 2xx means the flow started.
  sent.provider_message_id = parse_flow_run(response.body).chat_id;
  return sent;
}

}  // namespace schedulerd::providers::huggy
