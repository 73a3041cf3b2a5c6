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

call_error no_contact() {
  return call_error{failure_kind::permanent, 0, "The message names no Huggy contact", std::nullopt};
}

// The texts of one batch on their way: each step makes its calls at once, one per text still
// going, and a text leaves the batch at its first failure.
class batch {
 public:
  batch(session& api, const std::vector<text_to_send>& texts)
      : api_(api), texts_(texts), results_(texts.size()), sent_(texts.size()) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if (texts[i].external_contact_id.empty()) {
        results_[i] = no_contact();
      } else {
        going_.push_back(i);
      }
    }
  }

  /// The texts still going (a copy: a step ends some of them while it reads its list).
  [[nodiscard]] std::vector<std::size_t> going() const { return going_; }

  /// Text `i`'s contact, ready for a URL path.
  [[nodiscard]] std::string contact(std::size_t i) const {
    return domain::url_encode(texts_[i].external_contact_id);
  }

  /// Makes the call `call_for(i)` of every text `i` of `which` at once; `next(i, response)` reads
  /// each answer and returns the failure that ends the text, if any.
  template <class CallFor, class Next>
  void step(const std::vector<std::size_t>& which, CallFor call_for, Next next) {
    if (which.empty()) return;
    std::vector<api_call> calls;
    calls.reserve(which.size());
    for (const auto i : which) calls.push_back(call_for(i));
    auto answers = api_.call_all(calls);
    for (std::size_t k = 0; k < which.size(); ++k) {
      const auto i = which[k];
      if (auto* error = std::get_if<call_error>(&answers[k])) {
        end(i, std::move(*error));
        continue;
      }
      const auto& response = std::get<outbound_response>(answers[k]);
      sent_[i].latency += response.latency;
      sent_[i].http_status = response.status;
      if (auto error = next(i, response)) end(i, std::move(*error));
    }
  }

  /// Text `i` is sent, under the platform's id `provider_message_id`.
  void deliver(std::size_t i, std::string provider_message_id) {
    sent_[i].provider_message_id = std::move(provider_message_id);
    results_[i] = std::move(sent_[i]);
  }

  /// Each text's outcome, in the texts' order.
  std::vector<call_result<sent_text>> results() { return std::move(results_); }

 private:
  void end(std::size_t i, call_error error) {
    results_[i] = std::move(error);
    going_.erase(std::find(going_.begin(), going_.end(), i));
  }

  session& api_;
  const std::vector<text_to_send>& texts_;
  std::vector<call_result<sent_text>> results_;
  std::vector<sent_text> sent_;
  std::vector<std::size_t> going_;
};

}  // namespace

std::vector<call_result<sent_text>> send_in_chat(session& api,
                                                 const std::vector<text_to_send>& texts) {
  batch sends{api, texts};
  std::vector<std::string> chat_ids(texts.size());

  // The contact's open chat: the first of its chats that is not finishing.
  std::vector<std::size_t> chatless;
  sends.step(
      sends.going(),
      [&](std::size_t i) {
        return api_call{"GET", "/chats?customer=" + sends.contact(i), {}};
      },
      [&](std::size_t i, const outbound_response& response) {
        auto chats = parse_chats(response.body);
        if (!chats) return std::optional{unreadable(response, chats.error())};
        const auto open = std::find_if(chats->begin(), chats->end(),
                                       [](const chat& c) { return c.situation != "finishing"; });
        if (open == chats->end()) {
          chatless.push_back(i);
        } else {
          chat_ids[i] = open->id;
        }
        return std::optional<call_error>{};
      });

  // A contact without one gets a new chat.
  sends.step(
      chatless,
      [&](std::size_t i) {
        return api_call{"POST", "/contacts/" + sends.contact(i) + "/chats", "{}"};
      },
      [&](std::size_t i, const outbound_response& response) {
        auto fresh = parse_chat(response.body);
        if (!fresh) return std::optional{unreadable(response, fresh.error())};
        chat_ids[i] = fresh->id;
        return std::optional<call_error>{};
      });

  sends.step(
      sends.going(),
      [&](std::size_t i) {
        return api_call{"POST", "/chats/" + domain::url_encode(chat_ids[i]) + "/messages",
                        dump({{"text", texts[i].text}})};
      },
      [&](std::size_t i, const outbound_response& response) {
        auto message_id = parse_sent_message(response.body);
        if (!message_id) return std::optional{unreadable(response, message_id.error())};
        sends.deliver(i, std::move(*message_id));
        return std::optional<call_error>{};
      });
  return sends.results();
}

std::vector<call_result<sent_text>> send_by_flow(session& api, const connection_settings& settings,
                                                 const std::vector<text_to_send>& texts) {
  batch sends{api, texts};
  sends.step(
      sends.going(),
      [&](std::size_t i) {
        return api_call{"PUT", "/contacts/" + sends.contact(i) + "/execFlow",
                        dump({{"uuid", settings.channel_uuid},
                              {"flowId", settings.flow_id},
                              {"variables", {{"message", texts[i].text}}},
                              {"whenInChat", true},
                              {"whenWaitForChat", true},
                              {"whenInAuto", true}})};
      },
      [&](std::size_t i, const outbound_response& response) {
        // Huggy's execFlow answer has no documented shape: any 2xx means the flow started.
        sends.deliver(i, parse_flow_run(response.body).chat_id);
        return std::optional<call_error>{};
      });
  return sends.results();
}

}  // namespace schedulerd::providers::huggy
