#include "http/routes/tokens.hpp"

#include "actors/errc.hpp"
#include "domain/ids.hpp"
#include "http/json/accounts_json.hpp"
#include "http/json/body_reader.hpp"
#include "http/json/list_json.hpp"
#include "http/reply.hpp"
#include "http/routes/list_request.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;

// Tokens sort by creation only; the newest come first unless `sort=created_at` asks otherwise.
const domain::list_query_rules& token_list_rules() {
  static const domain::list_query_rules rules{{"created_at"}, {"created_at", true}};
  return rules;
}

response created_token(const domain::issued_token& issued) {
  auto body = token_json(issued.record);
  body["token"] = issued.secret;
  return json_response(201, body);
}

caf::result<response> list_tokens(self_pointer self, const services::tokens_actor& tokens,
                                  const request& req) {
  auto parsed = parse_list_request(req, token_list_rules());
  if (auto* refused = std::get_if<response>(&parsed)) {
    return std::move(*refused);
  }
  auto query = std::get<domain::list_query>(std::move(parsed));
  return ask(self, tokens, page_encoder<domain::token_record>(query, token_json), list_atom::value,
             req.user_id, query);
}

caf::result<response> create_token(self_pointer self, const services::tokens_actor& tokens,
                                   const request& req) {
  body_reader body{req.body};
  auto name = body.required_string("name");
  auto expires_at = body.optional_time("expires_at");
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  return ask(self, tokens, created_token, create_atom::value, req.user_id,
             domain::token_request{*name, expires_at});
}

caf::result<response> delete_token(self_pointer self, const services::tokens_actor& tokens,
                                   const request& req) {
  auto id = domain::parse_id(req.param("id"));
  if (!id) {
    return error_response(errc::not_found);
  }
  return ask(
      self, tokens, [](bool) { return empty_response(204); }, revoke_atom::value, req.user_id, *id);
}

handler_actor::behavior_type tokens_handler(self_pointer self, services::tokens_actor tokens) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, tokens = std::move(tokens)](request& req) -> caf::result<response> {
        if (req.method == "GET") {
          return list_tokens(self, tokens, req);
        }
        if (req.method == "POST") {
          return create_token(self, tokens, req);
        }
        return delete_token(self, tokens, req);
      });
}

}  // namespace

handler_actor spawn_tokens_handler(caf::actor_system& system, services::tokens_actor tokens) {
  return system.spawn(tokens_handler, std::move(tokens));
}

void add_tokens_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/auth/tokens", handler, {access::authenticated});
  routes.add("POST", "/api/auth/tokens", handler, {access::authenticated});
  routes.add("DELETE", "/api/auth/tokens/{id}", handler, {access::authenticated});
}

}  // namespace schedulerd::http
