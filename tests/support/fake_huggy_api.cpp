#include "tests/support/fake_huggy.hpp"

#include "tests/support/fake_huggy_answers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <limits>
#include <string_view>

// The API half of the fake: what `/v3` answers once a request passed the token check.

namespace schedulerd::testing {

namespace {

constexpr std::int64_t page_size = 20;
// Every timestamp the fake writes, in Huggy's format (no time zone).
constexpr const char* fake_time = "2025-01-15 10:30:00";

constexpr std::array<const char*, 12> first_names{"José",      "Maria",     "João",  "Ana",
                                                  "Antônio",   "Francisca", "Luís",  "Márcia",
                                                  "Sebastião", "Letícia",   "Paulo", "Conceição"};
constexpr std::array<const char*, 10> last_names{"Silva",   "Santos",    "Oliveira", "Souza",
                                                 "Pereira", "Gonçalves", "Araújo",   "Lima",
                                                 "Ribeiro", "Magalhães"};

// A non-negative decimal of at most 12 digits, as Huggy's ids and page numbers are.
std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || at != end || text.size() > 12 || value < 0) return std::nullopt;
  return value;
}

nlohmann::json contact_json(std::int64_t index) {
  // Every seventh contact has no email: Huggy sends null for what it does not know.
  const nlohmann::json email =
      index % 7 == 3 ? nlohmann::json(nullptr)
                     : nlohmann::json("contato" + std::to_string(index) + "@exemplo.com.br");
  return {{"id", fake_huggy::contact_id(index)},
          {"name", fake_huggy::contact_name(index)},
          {"email", email},
          {"phone", fake_huggy::contact_phone(index)},
          {"mobile", nullptr},
          {"city", "São Paulo"},
          {"state", "SP"},
          {"photo", nullptr}};
}

nlohmann::json chat_json(const huggy_chat& chat) {
  return {{"id", chat.id},      {"situation", chat.situation}, {"contactId", chat.contact_id},
          {"agentId", nullptr}, {"createdAt", fake_time},      {"updatedAt", fake_time}};
}

// The request body as a JSON object, or null when it is not one.
nlohmann::json object_body(const http::request& request) {
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  return body.is_object() ? body : nlohmann::json(nullptr);
}

// The agent a sent message names: the profile's id and name.
nlohmann::json sender_of(const nlohmann::json& profile) {
  const auto field = [&](const char* key) {
    return profile.is_object() && profile.contains(key) ? profile.at(key) : nlohmann::json(nullptr);
  };
  return {{"id", field("id")}, {"name", field("name")}};
}

std::string company_of(const http::request& request) {
  const auto it = request.path_params.find("cid");
  return it == request.path_params.end() ? std::string{} : it->second;
}

}  // namespace

std::int64_t fake_huggy::contact_id(std::int64_t index) {
  return first_contact_id + index;
}

std::string fake_huggy::contact_name(std::int64_t index) {
  const auto first = static_cast<std::size_t>(index) % first_names.size();
  const auto last = static_cast<std::size_t>(index) / first_names.size() % last_names.size();
  return std::string{first_names.at(first)} + " " + last_names.at(last);
}

std::string fake_huggy::contact_phone(std::int64_t index) {
  std::array<char, 16> digits{};
  static_cast<void>(std::snprintf(digits.data(), digits.size(),
                                  index % 2 == 0 ? "551198%07lld" : "55118%07lld",
                                  static_cast<long long>(index)));
  return digits.data();
}

bool fake_huggy::has_contact(std::int64_t id) const {
  return id >= first_contact_id && id - first_contact_id < contact_count_;
}

// The contact's open chat (any but `finishing`), or a new one in `situation`.
std::int64_t fake_huggy::open_chat(std::int64_t contact_id, const std::string& situation) {
  for (const auto& [id, chat] : chats_) {
    if (chat.contact_id == contact_id && chat.situation != "finishing") return id;
  }
  const auto id = next_chat_id_++;
  chats_[id] = huggy_chat{id, contact_id, situation};
  return id;
}

http::response fake_huggy::profile(const http::request& /*request*/) {
  return huggy_answers::json(200, profile_);
}

http::response fake_huggy::contacts(const http::request& request) {
  auto out = nlohmann::json::array();
  if (const auto phone = request.query_param("phone")) {
    // Exact digits only, as Huggy: "+55 11 9..." finds nothing, nor does the other form of a
    // Brazilian mobile number.
    const std::string_view digits = *phone;
    const auto index = digits.size() > 7 ? number(digits.substr(digits.size() - 7)) : std::nullopt;
    if (index && has_contact(contact_id(*index)) && contact_phone(*index) == digits) {
      out.push_back(contact_json(*index));
    }
    return huggy_answers::json(200, out);
  }
  const auto page = number(request.query_param("page").value_or("0")).value_or(0);
  const auto failing = page <= std::numeric_limits<int>::max()
                           ? page_failures_.find(static_cast<int>(page))
                           : page_failures_.end();
  if (failing != page_failures_.end() && failing->second.times != 0) {
    if (failing->second.times > 0) --failing->second.times;
    return huggy_answers::reason(failing->second.status,
                                 "Erro interno. Tente novamente mais tarde.");
  }
  for (auto index = page * page_size; index < std::min(contact_count_, (page + 1) * page_size);
       ++index) {
    out.push_back(contact_json(index));
  }
  return huggy_answers::json(200, out);
}

http::response fake_huggy::contact(const http::request& request) {
  const auto id = number(request.param("id"));
  if (!id || !has_contact(*id)) return huggy_answers::reason(404, "Contato não encontrado");
  return huggy_answers::json(200, contact_json(*id - first_contact_id));
}

http::response fake_huggy::chats(const http::request& request) {
  const auto customer = request.query_param("customer");
  const auto situation = request.query_param("situation");
  const auto page = number(request.query_param("page").value_or("0")).value_or(0);
  auto out = nlohmann::json::array();
  std::int64_t seen = 0;
  for (const auto& [id, chat] : chats_) {
    if (customer && number(*customer) != chat.contact_id) continue;
    if (situation && *situation != chat.situation) continue;
    if (seen++ / page_size == page) out.push_back(chat_json(chat));
  }
  return huggy_answers::json(200, out);
}

http::response fake_huggy::create_chat(const http::request& request) {
  const auto contact = number(request.param("id"));
  if (!contact || !has_contact(*contact)) {
    return huggy_answers::reason(404, "Contato não encontrado");
  }
  // A contact has one open chat at a time: asking again answers the one already open.
  return huggy_answers::json(201, chat_json(chats_.at(open_chat(*contact, "wait_for_chat"))));
}

http::response fake_huggy::post_message(const http::request& request) {
  const auto id = number(request.param("id"));
  const auto chat = id ? chats_.find(*id) : chats_.end();
  if (chat == chats_.end()) return huggy_answers::reason(404, "Chat não encontrado");
  if (chat->second.situation == "auto") {
    return huggy_answers::reason(403, "Desculpe, você não tem permissão");
  }
  if (chat->second.situation == "finishing") {
    return huggy_answers::reason(400, "Este chat já foi finalizado");
  }
  const auto body = object_body(request);
  const auto text = body.is_object() ? body.find("text") : body.end();
  const bool has_text = body.is_object() && text != body.end() && text->is_string() &&
                        !text->get_ref<const std::string&>().empty();
  const bool has_template = body.is_object() && body.contains("hsm") && body["hsm"].is_object();
  if (!has_text && !has_template) return huggy_answers::reason(400, "Informe o texto da mensagem");

  const auto message_id = next_message_id_++;
  const std::string said = has_text ? text->get<std::string>() : std::string{};
  deliveries_.push_back({chat->second.contact_id, chat->first, "message", said, body,
                         company_of(request), std::chrono::steady_clock::now()});
  return huggy_answers::json(201, {{"id", message_id},
                                   {"text", said},
                                   {"senderType", "agent"},
                                   {"sendAt", fake_time},
                                   {"sender", sender_of(profile_)},
                                   {"type", has_text ? "text" : "hsm"},
                                   {"file", nullptr}});
}

http::response fake_huggy::exec_flow(const http::request& request) {
  const auto contact = number(request.param("id"));
  if (!contact || !has_contact(*contact)) {
    return huggy_answers::reason(404, "Contato não encontrado");
  }
  const auto body = object_body(request);
  const auto uuid = body.is_object() ? body.find("uuid") : body.end();
  if (uuid == body.end() || !uuid->is_string() || *uuid != channel_uuid) {
    return huggy_answers::reason(400, "Canal não encontrado");
  }
  const auto flow = body.find("flowId");
  if (flow == body.end() || !flow->is_number_integer() || flow->get<std::int64_t>() != flow_id) {
    return huggy_answers::reason(400, "Fluxo não encontrado");
  }
  const auto variables = body.value("variables", nlohmann::json::object());
  if (!variables.is_object()) return huggy_answers::reason(400, "Variáveis inválidas");

  // The flow runs in the contact's open chat, or opens one with the bot.
  const auto chat = open_chat(*contact, "auto");
  const auto message = variables.find("message");
  deliveries_.push_back(
      {*contact, chat, "flow",
       message != variables.end() && message->is_string() ? message->get<std::string>() : "", body,
       company_of(request), std::chrono::steady_clock::now()});
  return huggy_answers::json(200, {{"reason", "Fluxo executado com sucesso"}, {"chatID", chat}});
}

}  // namespace schedulerd::testing
