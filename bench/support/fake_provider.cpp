#include "bench/support/fake_provider.hpp"

#include "domain/clock.hpp"
#include "tests/support/fake_huggy_answers.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <string_view>

namespace schedulerd::bench {

namespace {

// Huggy's timestamp format, as fake_huggy writes it.
constexpr const char* fake_time = "2025-01-15 10:30:00";

std::int64_t number_or_zero(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

nlohmann::json chat_json(std::int64_t contact_id) {
  return {{"id", contact_id},   {"situation", "in_chat"}, {"contactId", contact_id},
          {"agentId", nullptr}, {"createdAt", fake_time}, {"updatedAt", fake_time}};
}

}  // namespace

std::string message_key(std::int64_t contact_id, const std::string& text) {
  return std::to_string(contact_id) + "|" + text;
}

fake_provider::fake_provider(const provider_behaviour& behaviour)
    : behaviour_(behaviour),
      api_([this](const http::request& request) { return huggy_.server().answer(request); },
           [this](const http::request& request) { return huggy_.server().latency_for(request); }) {
  huggy_.set_contact_count(behaviour.contacts);
  huggy_.server().set_recording(false);  // receipts_ counts what the benchmarks read
  huggy_.server().set_latency_of("POST", "/v3/chats/", behaviour.latency);
  // Registered after fake_huggy's own routes, so these win (fake_server: later registrations win).
  huggy_.server().on("GET", "/v3/chats",
                     [this](const http::request& request) { return chats(request); });
  huggy_.server().on("POST", "/v3/chats/{id}/messages",
                     [this](const http::request& request) { return post_message(request); });
}

std::string fake_provider::sample_send_url() const {
  return api_base_url() + "/chats/" + std::to_string(testing::fake_huggy::first_contact_id) +
         "/messages";
}

std::string fake_provider::sample_send_body() {
  return R"({"text":"wrk"})";
}

http::response fake_provider::chats(const http::request& request) const {
  auto out = nlohmann::json::array();
  const auto contact = number_or_zero(request.query_param("customer").value_or(""));
  if (contact >= testing::fake_huggy::first_contact_id &&
      contact - testing::fake_huggy::first_contact_id < behaviour_.contacts) {
    out.push_back(chat_json(contact));
  }
  return testing::huggy_answers::json(200, out);
}

http::response fake_provider::post_message(const http::request& request) {
  const auto now = domain::system_now_ms();
  const auto chat = number_or_zero(request.param("id"));
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  const auto text = body.is_object() && body.contains("text") && body["text"].is_string()
                        ? body["text"].get<std::string>()
                        : std::string{};
  if (text.empty()) return testing::huggy_answers::reason(400, "Informe o texto da mensagem");
  std::int64_t message_id = 0;
  {
    std::lock_guard lock{mutex_};
    auto [entry, first] = receipts_.try_emplace(message_key(chat, text));
    auto& seen = entry->second;
    ++seen.attempts;
    if (first) {
      seen.first_at_ms = now;
      // Deterministic: the Nth, 2Nth, ... distinct message to arrive is refused once.
      if (behaviour_.fail_first_every > 0 &&
          static_cast<std::int64_t>(receipts_.size()) % behaviour_.fail_first_every == 0) {
        return testing::huggy_answers::reason(503, "Erro interno. Tente novamente mais tarde.");
      }
    }
    ++seen.accepted;
    seen.accepted_at_ms = now;
    message_id = 9000001 + accepted_++;
  }
  return testing::huggy_answers::json(201, {{"id", message_id},
                                            {"text", text},
                                            {"senderType", "agent"},
                                            {"sendAt", fake_time},
                                            {"sender", {{"id", 4242}, {"name", "Ana Atendente"}}},
                                            {"type", "text"},
                                            {"file", nullptr}});
}

std::map<std::string, message_receipts> fake_provider::receipts() const {
  std::lock_guard lock{mutex_};
  return {receipts_.begin(), receipts_.end()};
}

std::int64_t fake_provider::accepted() const {
  std::lock_guard lock{mutex_};
  return accepted_;
}

void fake_provider::reset() {
  std::lock_guard lock{mutex_};
  receipts_.clear();
  accepted_ = 0;
}

}  // namespace schedulerd::bench
