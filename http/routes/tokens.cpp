#include "http/routes/tokens.hpp"

#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "domain/secrets.hpp"
#include "http/json/accounts_json.hpp"
#include "http/json/body_reader.hpp"
#include "http/reply.hpp"
#include "http/routes/id_param.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::stateful_pointer<accounts_context>;
using promise_type = response_promise;

caf::result<response> list_tokens(self_pointer self, const request& req) {
  auto promise = self->make_response_promise<response>();
  actors::query(
      self, self->state.db_pool,
      [user = req.user_id](storage::connection& db) {
        return caf::expected<std::vector<storage::token_record>>{storage::list_tokens(db, user)};
      })
      .then(
          [promise](std::vector<storage::token_record>& tokens) mutable {
            auto data = nlohmann::json::array();
            for (const auto& token : tokens) {
              data.push_back(token_json(token));
            }
            auto total = static_cast<std::int64_t>(tokens.size());
            promise.deliver(json_response(
                200, {{"data", std::move(data)},
                      {"meta",
                       {{"page", 1}, {"per_page", total}, {"total", total}, {"last_page", 1}}}}));
          },
          fail_with(promise));
  return promise;
}

caf::result<response> create_token(self_pointer self, const request& req) {
  body_reader body{req.body};
  auto name = body.required_string("name");
  auto expires_at = body.optional_time("expires_at");
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  auto now = self->state.now();
  if (auto problems = domain::validate_token_request(*name, expires_at, now); !problems.empty()) {
    return error_response(make_validation_error(std::move(problems)));
  }
  auto promise = self->make_response_promise<response>();
  auto secret = domain::generate_api_token();
  actors::in_session(
      self, self->state.sessions, req.user_id,
      [user = req.user_id, name = *name, hash = domain::sha256_hex(secret), now,
       expires_at](storage::connection& db) {
        return caf::expected<storage::token_record>{
            storage::insert_token(db, user, name, hash, "personal", now, expires_at)};
      },
      [promise, secret](storage::token_record& token) mutable {
        auto body = token_json(token);
        body["token"] = secret;
        promise.deliver(json_response(201, body));
      },
      fail_with(promise));
  return promise;
}

caf::result<response> delete_token(self_pointer self, const request& req) {
  auto id = parse_id(req.param("id"));
  if (!id) {
    return error_response(errc::not_found);
  }
  auto promise = self->make_response_promise<response>();
  actors::in_session(
      self, self->state.sessions, req.user_id,
      [user = req.user_id, token = *id, now = self->state.now()](storage::connection& db) {
        if (!storage::revoke_token(db, user, token, now)) {
          return caf::expected<bool>{make_error(errc::not_found)};
        }
        return caf::expected<bool>{true};
      },
      [promise](bool) mutable { promise.deliver(empty_response(204)); }, fail_with(promise));
  return promise;
}

handler_actor::behavior_type tokens_handler(self_pointer self, accounts_context context) {
  self->state = std::move(context);
  return {
      [self](request& req) -> caf::result<response> {
        if (req.method == "GET") {
          return list_tokens(self, req);
        }
        if (req.method == "POST") {
          return create_token(self, req);
        }
        return delete_token(self, req);
      },
  };
}

}  // namespace

handler_actor spawn_tokens_handler(caf::actor_system& system, accounts_context context) {
  return system.spawn(tokens_handler, std::move(context));
}

void add_tokens_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/auth/tokens", handler, {access::authenticated});
  routes.add("POST", "/api/auth/tokens", handler, {access::authenticated});
  routes.add("DELETE", "/api/auth/tokens/{id}", handler, {access::authenticated});
}

}  // namespace schedulerd::http
