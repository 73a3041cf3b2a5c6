#include "http/routes/scheduled_messages.hpp"

#include "actors/errc.hpp"
#include "domain/ids.hpp"
#include "domain/message_filters.hpp"
#include "http/json/body_reader.hpp"
#include "http/json/list_json.hpp"
#include "http/json/messages_json.hpp"
#include "http/reply.hpp"
#include "http/routes/list_request.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;
using services::messages_actor;

constexpr std::size_t max_idempotency_key = 255;
// A bulk of 10,000 recipients with long ids stays well inside this.
constexpr std::size_t bulk_body_limit = std::size_t{8} << 20U;

response message_response(int status, const domain::message_record& message) {
  json_writer out;
  write_message(out, message);
  return json_text_response(status, out.take());
}

// The request's Idempotency-Key (empty when none), or the 422 it earns.
std::variant<std::string, response> idempotency_key(const request& req) {
  auto key = req.header("idempotency-key");
  if (!key) {
    return std::string{};
  }
  const bool printable =
      std::all_of(key->begin(), key->end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (key->empty() || key->size() > max_idempotency_key || !printable) {
    return error_response(make_validation_error(
        {{"Idempotency-Key", {"must be 1..255 printable ASCII characters without spaces"}}}));
  }
  return std::string{*key};
}

response replayable(response answer, bool replayed) {
  if (replayed) {
    answer.set_header("idempotent-replayed", "true");
  }
  return answer;
}

caf::result<response> list_messages(self_pointer self, const messages_actor& messages,
                                    const request& req) {
  auto parsed = parse_list_request(req, domain::message_list_rules());
  if (auto* refused = std::get_if<response>(&parsed)) {
    return std::move(*refused);
  }
  auto query = std::get<domain::list_query>(std::move(parsed));
  auto filter = domain::to_message_filter(query);
  if (auto* problems = std::get_if<field_errors>(&filter)) {
    return error_response(make_validation_error(std::move(*problems)));
  }
  return ask(self, messages, page_encoder<domain::message_record>(query, write_message),
             list_atom::value, req.user_id, std::get<domain::message_filter>(std::move(filter)));
}

// Checks the Idempotency-Key, then answers `ask_service(key)`; a bad key earns its 422.
template <class Ask>
caf::result<response> with_idempotency_key(const request& req, Ask ask_service) {
  auto key = idempotency_key(req);
  if (auto* refused = std::get_if<response>(&key)) {
    return std::move(*refused);
  }
  return ask_service(std::get<std::string>(std::move(key)));
}

// The fields both kinds of schedule share; `recipients` reads the one that differs.
template <class Recipients>
auto read_schedule(body_reader& body, Recipients recipients) {
  auto provider_id = body.required_id("provider_id");
  auto to = recipients(body);
  auto content = body.required_string("content");
  auto send_at = body.required_time("send_at");
  return std::make_tuple(provider_id, std::move(to), std::move(content), send_at);
}

caf::result<response> create_message(self_pointer self, const messages_actor& messages,
                                     const request& req) {
  return with_idempotency_key(req, [&](std::string key) -> caf::result<response> {
    body_reader body{req.body};
    auto [provider_id, contact_id, content, send_at] =
        read_schedule(body, [](body_reader& in) { return in.required_id("contact_id"); });
    if (!body.errors().empty()) {
      return error_response(make_validation_error(body.errors()));
    }
    return ask(
        self, messages,
        [](const domain::created_message& created) {
          return replayable(message_response(201, created.message), created.replayed);
        },
        create_atom::value, req.user_id,
        domain::message_draft{*provider_id, *contact_id, *content, *send_at}, std::move(key));
  });
}

caf::result<response> create_batch(self_pointer self, const messages_actor& messages,
                                   const request& req) {
  return with_idempotency_key(req, [&](std::string key) -> caf::result<response> {
    body_reader body{req.body};
    auto [provider_id, contact_ids, content, send_at] =
        read_schedule(body, [](body_reader& in) { return in.required_ids("contact_ids"); });
    if (!body.errors().empty()) {
      return error_response(make_validation_error(body.errors()));
    }
    return ask(
        self, messages,
        [](const domain::created_batch& created) {
          return replayable(json_response(202, {{"batch", batch_json(created.batch)}}),
                            created.replayed);
        },
        bulk_atom::value, req.user_id,
        domain::bulk_draft{*provider_id, std::move(*contact_ids), *content, *send_at},
        std::move(key));
  });
}

caf::result<response> update_message(self_pointer self, const messages_actor& messages,
                                     const request& req, std::int64_t id) {
  body_reader body{req.body};
  domain::message_patch patch{body.optional_id("contact_id"), body.optional_string("content"),
                              body.optional_time("send_at")};
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  return ask(
      self, messages,
      [](const domain::message_record& message) { return message_response(200, message); },
      update_atom::value, req.user_id, id, std::move(patch));
}

caf::result<response> one_message(self_pointer self, const messages_actor& messages,
                                  const request& req, std::int64_t id) {
  auto encode = [](const domain::message_record& message) {
    return message_response(200, message);
  };
  if (req.route == "/api/scheduled-messages/{id}/logs") {
    return ask(
        self, messages,
        [](const std::vector<domain::message_event>& events) {
          auto data = nlohmann::json::array();
          for (const auto& event : events) {
            data.push_back(message_event_json(event));
          }
          return json_response(200, {{"data", std::move(data)}});
        },
        logs_atom::value, req.user_id, id);
  }
  if (req.method == "PUT") {
    return update_message(self, messages, req, id);
  }
  if (req.method == "DELETE") {
    return ask(self, messages, encode, cancel_atom::value, req.user_id, id);
  }
  return ask(self, messages, encode, get_atom::value, req.user_id, id);
}

caf::result<response> one_batch(self_pointer self, const messages_actor& messages,
                                const request& req, std::int64_t id) {
  auto encode = [](const domain::batch_record& batch) {
    return json_response(200, batch_json(batch));
  };
  if (req.method == "DELETE") {
    return ask(self, messages, encode, batch_atom::value, cancel_atom::value, req.user_id, id);
  }
  return ask(self, messages, encode, batch_atom::value, req.user_id, id);
}

handler_actor::behavior_type scheduled_messages_handler(self_pointer self,
                                                        messages_actor messages) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, messages = std::move(messages)](request& req) -> caf::result<response> {
        if (req.route == "/api/scheduled-messages") {
          return req.method == "POST" ? create_message(self, messages, req)
                                      : list_messages(self, messages, req);
        }
        if (req.route == "/api/scheduled-messages/bulk") {
          return create_batch(self, messages, req);
        }
        auto id = domain::parse_id(req.param("id"));
        if (!id) {
          return error_response(errc::not_found);
        }
        if (req.route == "/api/batches/{id}") {
          return one_batch(self, messages, req, *id);
        }
        return one_message(self, messages, req, *id);
      });
}

}  // namespace

handler_actor spawn_scheduled_messages_handler(caf::actor_system& system, messages_actor messages) {
  return system.spawn(scheduled_messages_handler, std::move(messages));
}

void add_scheduled_messages_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/scheduled-messages", handler, {access::authenticated});
  routes.add("POST", "/api/scheduled-messages", handler, {access::authenticated});
  routes.add("POST", "/api/scheduled-messages/bulk", handler,
             {access::authenticated, bulk_body_limit});
  routes.add("GET", "/api/scheduled-messages/{id}", handler, {access::authenticated});
  routes.add("PUT", "/api/scheduled-messages/{id}", handler, {access::authenticated});
  routes.add("DELETE", "/api/scheduled-messages/{id}", handler, {access::authenticated});
  routes.add("GET", "/api/scheduled-messages/{id}/logs", handler, {access::authenticated});
  routes.add("GET", "/api/batches/{id}", handler, {access::authenticated});
  routes.add("DELETE", "/api/batches/{id}", handler, {access::authenticated});
}

}  // namespace schedulerd::http
