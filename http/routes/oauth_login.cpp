#include "http/routes/oauth_login.hpp"

#include "http/json/accounts_json.hpp"
#include "http/reply.hpp"
#include "http/routes/authorize_answer.hpp"
#include "http/routes/reply_promise.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;

caf::result<response> start_login(self_pointer self, const services::oauth_sign_in_actor& sign_in,
                                  const request& req) {
  return ask(self, sign_in, authorize_answer(req), authorize_atom::value, req.param("provider"));
}

caf::result<response> complete_login(self_pointer self,
                                     const services::oauth_sign_in_actor& sign_in,
                                     const request& req) {
  return ask(
      self, sign_in,
      [](const domain::session_grant& grant) {
        return json_response(200, session_grant_json(grant));
      },
      sign_in_atom::value,
      domain::oauth_callback{req.param("provider"), req.query_param("code").value_or(""),
                             req.query_param("state").value_or(""), req.query_param("error")});
}

handler_actor::behavior_type oauth_login_handler(self_pointer self,
                                                 services::oauth_sign_in_actor sign_in) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, sign_in = std::move(sign_in)](request& req) -> caf::result<response> {
        if (req.route == "/api/auth/oauth/{provider}") {
          return start_login(self, sign_in, req);
        }
        return complete_login(self, sign_in, req);
      });
}

}  // namespace

handler_actor spawn_oauth_login_handler(caf::actor_system& system,
                                        services::oauth_sign_in_actor sign_in) {
  return system.spawn(oauth_login_handler, std::move(sign_in));
}

void add_oauth_login_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/auth/oauth/{provider}", handler, {access::auth_endpoint});
  routes.add("GET", "/api/auth/oauth/{provider}/callback", handler, {access::auth_endpoint});
}

}  // namespace schedulerd::http
