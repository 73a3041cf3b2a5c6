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

// Whether a failed call's text goes on another way (true) or ends with the failure (false).
using keeps_fn = bool (*)(std::size_t, const call_error&);

// Keeps no failed text: its failure is its outcome (the default of the steps below).
bool never(std::size_t /*text*/, const call_error& /*error*/) {
  return false;
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
  /// each answer and returns the failure that ends the text, if any. A failed call ends its text
  /// unless `keeps(i, error)` says it goes on another way.
  template <class CallFor, class Next, class Keeps = keeps_fn>
  void step(const std::vector<std::size_t>& which, CallFor call_for, Next next,
            Keeps keeps = never) {
    if (which.empty()) return;
    std::vector<api_call> calls;
    calls.reserve(which.size());
    for (const auto i : which) calls.push_back(call_for(i));
    auto answers = api_.call_all(calls);
    for (std::size_t k = 0; k < which.size(); ++k) {
      const auto i = which[k];
      if (auto* error = std::get_if<call_error>(&answers[k])) {
        if (!keeps(i, *error)) end(i, std::move(*error));
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

  /// Text `i` fails with `error` and leaves the batch.
  void end(std::size_t i, call_error error) {
    results_[i] = std::move(error);
    going_.erase(std::find(going_.begin(), going_.end(), i));
  }

  /// Whether text `i` is still going (no failure ended it).
  [[nodiscard]] bool is_going(std::size_t i) const {
    return std::find(going_.begin(), going_.end(), i) != going_.end();
  }

  /// Each text's outcome, in the texts' order.
  std::vector<call_result<sent_text>> results() { return std::move(results_); }

 private:
  session& api_;
  const std::vector<text_to_send>& texts_;
  std::vector<call_result<sent_text>> results_;
  std::vector<sent_text> sent_;
  std::vector<std::size_t> going_;
};

// Reads into `chat_ids` the open chat (the first that is not finishing) of each text of `which`;
// those without one go to `chatless`.
void read_open_chats(batch& sends, const std::vector<std::size_t>& which,
                     std::vector<std::string>& chat_ids, std::vector<std::size_t>& chatless) {
  sends.step(
      which,
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
}

// Opens a chat for the contact of each text of `which`.
void open_chats(batch& sends, const std::vector<std::size_t>& which,
                std::vector<std::string>& chat_ids) {
  sends.step(
      which,
      [&](std::size_t i) {
        return api_call{"POST", "/contacts/" + sends.contact(i) + "/chats", "{}"};
      },
      [&](std::size_t i, const outbound_response& response) {
        auto fresh = parse_chat(response.body);
        if (!fresh) return std::optional{unreadable(response, fresh.error())};
        chat_ids[i] = fresh->id;
        return std::optional<call_error>{};
      });
}

// Posts each text of `which` into its chat; a refused post ends the text unless `keeps` takes it.
template <class Keeps = keeps_fn>
void post_texts(batch& sends, const std::vector<std::size_t>& which,
                const std::vector<std::string>& chat_ids, const std::vector<text_to_send>& texts,
                Keeps keeps = never) {
  sends.step(
      which,
      [&](std::size_t i) {
        return api_call{"POST", "/chats/" + domain::url_encode(chat_ids[i]) + "/messages",
                        dump({{"text", texts[i].text}})};
      },
      [&](std::size_t i, const outbound_response& response) {
        auto message_id = parse_sent_message(response.body);
        if (!message_id) return std::optional{unreadable(response, message_id.error())};
        sends.deliver(i, std::move(*message_id));
        return std::optional<call_error>{};
      },
      keeps);
}

}  // namespace

std::vector<std::string> find_open_chats(session& api,
                                         const std::vector<std::string>& external_contact_ids) {
  std::vector<text_to_send> contacts;
  contacts.reserve(external_contact_ids.size());
  for (const auto& id : external_contact_ids) contacts.push_back({id, {}, {}});
  batch lookups{api, contacts};
  std::vector<std::string> chat_ids(contacts.size());
  std::vector<std::size_t> chatless;
  read_open_chats(lookups, lookups.going(), chat_ids, chatless);
  return chat_ids;
}

std::vector<call_result<sent_text>> send_in_chat(session& api,
                                                 const std::vector<text_to_send>& texts) {
  batch sends{api, texts};
  std::vector<std::string> chat_ids(texts.size());
  std::vector<std::size_t> routeless;
  for (const auto i : sends.going()) {
    if (texts[i].route.empty()) {
      routeless.push_back(i);
    } else {
      chat_ids[i] = texts[i].route;
    }
  }
  std::vector<std::size_t> chatless;
  read_open_chats(sends, routeless, chat_ids, chatless);
  open_chats(sends, chatless, chat_ids);

  // A chat found ahead of time may have closed since. When Huggy refuses a text posted there (a
  // 4xx), the contact's open chat is looked up again: the text goes to the chat found now, or to
  // a new one when there is none; if it is the same chat, the refusal stands.
  std::vector<std::size_t> refused;
  std::vector<std::optional<call_error>> refusals(texts.size());
  post_texts(sends, sends.going(), chat_ids, texts, [&](std::size_t i, const call_error& error) {
    if (texts[i].route.empty() || error.kind != failure_kind::permanent ||
        error.http_status < 400 || error.http_status >= 500) {
      return false;
    }
    refusals[i] = error;
    refused.push_back(i);
    chat_ids[i].clear();
    return true;
  });
  chatless.clear();
  read_open_chats(sends, refused, chat_ids, chatless);
  open_chats(sends, chatless, chat_ids);
  std::vector<std::size_t> moved;
  for (const auto i : refused) {
    if (!sends.is_going(i)) continue;
    if (chat_ids[i] == texts[i].route) {
      sends.end(i, std::move(*refusals[i]));
    } else {
      moved.push_back(i);
    }
  }
  post_texts(sends, moved, chat_ids, texts);
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
