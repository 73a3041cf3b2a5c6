#include "providers/huggy/responses.hpp"

#include "domain/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <limits>

namespace schedulerd::providers::huggy {

namespace {

using json = nlohmann::json;

// Longest piece of a Huggy answer quoted in a message (logs, `last_error`).
constexpr std::size_t max_quoted_bytes = 200;

domain::failure malformed(std::string_view what) {
  return domain::failure{domain::errc::upstream_failed, "Huggy answered " + std::string{what}};
}

// parse(..., allow_exceptions = false) reports garbage as a discarded value instead of throwing.
json parse(std::string_view body) {
  return json::parse(body.begin(), body.end(), nullptr, false);
}

// An id as Huggy sends it (a non-negative integer, sometimes a string); empty when unusable.
std::string id_of(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer()) {
    const auto value = it->get<std::int64_t>();
    return value > 0 ? std::to_string(value) : std::string{};
  }
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    const bool printable =
        !text.empty() && text.size() <= 64 &&
        std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isgraph(c) != 0; });
    return printable ? text : std::string{};
  }
  return {};
}

// A text field; null, absent or not a string reads as empty.
std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// The list a list endpoint answered: a bare array, or the `data` array of an envelope.
const json* list_of(const json& body) {
  if (body.is_array()) return &body;
  if (body.is_object()) {
    const auto it = body.find("data");
    if (it != body.end() && it->is_array()) return &*it;
  }
  return nullptr;
}

std::optional<contact> contact_of(const json& object) {
  contact found;
  found.external_id = id_of(object, "id");
  if (found.external_id.empty()) return std::nullopt;
  found.name = text_of(object, "name");
  found.email = text_of(object, "email");
  found.phone = text_of(object, "phone");
  if (found.phone.empty()) found.phone = text_of(object, "mobile");
  return found;
}

std::optional<chat> chat_of(const json& object) {
  chat found;
  found.id = id_of(object, "id");
  if (found.id.empty()) return std::nullopt;
  found.situation = text_of(object, "situation");
  return found;
}

// A bounded quote on one log line: control characters become spaces, and a body that is not
// UTF-8 (only a non-JSON body can be) gets '?' for its stray bytes, so the quote can go into JSON.
std::string one_line(std::string_view text) {
  auto out = domain::valid_utf8(domain::utf8_prefix(text, max_quoted_bytes));
  std::replace_if(
      out.begin(), out.end(),
      [](char c) { return std::iscntrl(static_cast<unsigned char>(c)) != 0; }, ' ');
  return out;
}

}  // namespace

domain::outcome<std::vector<contact>> parse_contacts(std::string_view body) {
  const auto parsed = parse(body);
  const json* list = list_of(parsed);
  if (list == nullptr) return malformed("a contact list that is not a JSON array");
  std::vector<contact> contacts;
  contacts.reserve(list->size());
  for (const auto& entry : *list) {
    if (auto found = contact_of(entry)) contacts.push_back(std::move(*found));
  }
  return contacts;
}

domain::outcome<contact> parse_contact(std::string_view body) {
  if (auto found = contact_of(parse(body))) return std::move(*found);
  return malformed("a contact without an id");
}

domain::outcome<token_grant> parse_token_grant(std::string_view body) {
  const auto parsed = parse(body);
  token_grant grant;
  grant.access_token = text_of(parsed, "access_token");
  if (grant.access_token.empty()) return malformed("a token response without an access_token");
  grant.refresh_token = text_of(parsed, "refresh_token");
  const auto expires = parsed.find("expires_in");
  if (expires != parsed.end()) {
    // Some token servers send the lifetime as a string of digits.
    std::optional<std::int64_t> seconds;
    if (expires->is_number_unsigned() &&
        expires->get<std::uint64_t>() <=
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      seconds = static_cast<std::int64_t>(expires->get<std::uint64_t>());
    } else if (expires->is_string()) {
      const auto& text = expires->get_ref<const std::string&>();
      if (!text.empty() && text.size() <= 12 &&
          std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        seconds = std::stoll(text);
      }
    }
    if (seconds && *seconds > 0) grant.expires_in_s = seconds;
  }
  return grant;
}

domain::outcome<agent_profile> parse_agent_profile(std::string_view body) {
  const auto parsed = parse(body);
  agent_profile profile;
  profile.id = id_of(parsed, "id");
  if (profile.id.empty()) return malformed("an agent profile without an id");
  profile.name = text_of(parsed, "name");
  profile.email = text_of(parsed, "email");
  return profile;
}

domain::outcome<chat> parse_chat(std::string_view body) {
  if (auto found = chat_of(parse(body))) return std::move(*found);
  return malformed("a chat without an id");
}

domain::outcome<std::vector<chat>> parse_chats(std::string_view body) {
  const auto parsed = parse(body);
  const json* list = list_of(parsed);
  if (list == nullptr) return malformed("a chat list that is not a JSON array");
  std::vector<chat> chats;
  for (const auto& entry : *list) {
    if (auto found = chat_of(entry)) chats.push_back(std::move(*found));
  }
  return chats;
}

domain::outcome<std::string> parse_sent_message(std::string_view body) {
  auto id = id_of(parse(body), "id");
  if (id.empty()) return malformed("a sent message without an id");
  return id;
}

flow_run parse_flow_run(std::string_view body) {
  const auto parsed = parse(body);
  flow_run run;
  if (parsed.is_object()) {
    run.chat_id = id_of(parsed, "chatID");
    if (run.chat_id.empty()) run.chat_id = id_of(parsed, "chatId");
    run.reason = one_line(text_of(parsed, "reason"));
  } else if (parsed.is_string()) {
    run.reason = one_line(parsed.get<std::string>());
  } else if (parsed.is_discarded()) {
    run.reason = one_line(body);
  }
  return run;
}

std::string describe_failure(int status, std::string_view body) {
  const auto parsed = parse(body);
  std::string said = text_of(parsed, "reason");
  if (said.empty()) {
    said = text_of(parsed, "message");
    const auto hint = text_of(parsed, "hint");
    if (!said.empty() && !hint.empty()) said += " (" + hint + ")";
  }
  if (said.empty()) said = text_of(parsed, "error");
  if (said.empty() && parsed.is_discarded()) said = std::string{body};
  std::string out = "Huggy answered HTTP " + std::to_string(status);
  const auto quoted = one_line(said);
  if (quoted.find_first_not_of(' ') != std::string::npos) out += ": " + quoted;
  return out;
}

}  // namespace schedulerd::providers::huggy
