#include "http/routes/auth.hpp"

#include "actors/errc.hpp"
#include "http/json/accounts_json.hpp"
#include "http/json/body_reader.hpp"
#include "http/reply.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;

auto grant_with_status(int status) {
  return [status](const domain::session_grant& grant) {
    return json_response(status, session_grant_json(grant));
  };
}

caf::result<response> register_user(self_pointer self, const services::accounts_actor& accounts,
                                    const request& req) {
  body_reader body{req.body};
  auto name = body.required_string("name");
  auto email = body.required_string("email");
  auto password = body.required_string("password");
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  return ask(self, accounts, grant_with_status(201), register_atom::value,
             domain::registration{*name, *email, *password});
}

caf::result<response> login(self_pointer self, const services::accounts_actor& accounts,
                            const request& req) {
  body_reader body{req.body};
  auto email = body.required_string("email");
  auto password = body.required_string("password");
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  return ask(self, accounts, grant_with_status(200), login_atom::value,
             domain::credentials{*email, *password});
}

caf::result<response> logout(self_pointer self, const services::accounts_actor& accounts,
                             const request& req) {
  return ask(
      self, accounts, [](bool) { return empty_response(204); }, logout_atom::value, req.user_id,
      req.token_id);
}

caf::result<response> me(self_pointer self, const services::accounts_actor& accounts,
                         const request& req) {
  return ask(
      self, accounts,
      [](const domain::user_record& user) {
        return json_response(200, {{"user", user_json(user)}});
      },
      get_atom::value, req.user_id);
}

handler_actor::behavior_type auth_handler(self_pointer self, services::accounts_actor accounts) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, accounts = std::move(accounts)](request& req) -> caf::result<response> {
        if (req.route == "/api/auth/register") {
          return register_user(self, accounts, req);
        }
        if (req.route == "/api/auth/login") {
          return login(self, accounts, req);
        }
        if (req.route == "/api/auth/logout") {
          return logout(self, accounts, req);
        }
        if (req.route == "/api/auth/me") {
          return me(self, accounts, req);
        }
        return error_response(errc::not_found);
      });
}

}  // namespace

handler_actor spawn_auth_handler(caf::actor_system& system, services::accounts_actor accounts) {
  return system.spawn(auth_handler, std::move(accounts));
}

void add_auth_routes(router& routes, const handler_actor& handler) {
  routes.add("POST", "/api/auth/register", handler, {access::auth_endpoint});
  routes.add("POST", "/api/auth/login", handler, {access::auth_endpoint});
  routes.add("POST", "/api/auth/logout", handler, {access::authenticated});
  routes.add("GET", "/api/auth/me", handler, {access::authenticated});
}

}  // namespace schedulerd::http
