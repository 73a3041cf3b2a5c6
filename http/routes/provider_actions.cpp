#include "actors/errc.hpp"
#include "domain/ids.hpp"
#include "http/json/list_json.hpp"
#include "http/json/providers_json.hpp"
#include "http/reply.hpp"
#include "http/routes/authorize_answer.hpp"
#include "http/routes/list_request.hpp"
#include "http/routes/providers.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;
using services::providers_actor;

// Contacts come ordered by name (the only order a search needs).
const domain::list_query_rules& contact_rules() {
  static const domain::list_query_rules rules{{"name"}, {"name", false}};
  return rules;
}

caf::result<response> list_contacts(self_pointer self, const providers_actor& providers,
                                    const request& req, std::int64_t id) {
  auto parsed = parse_list_request(req, contact_rules());
  if (auto* refused = std::get_if<response>(&parsed)) {
    return std::move(*refused);
  }
  auto list = std::get<domain::list_query>(std::move(parsed));
  auto source = list.filter("source").value_or("local");
  if (source != "local" && source != "remote") {
    return error_response(make_validation_error({{"source", {"must be local or remote"}}}));
  }
  domain::contact_query query{list.filter("q").value_or(""), source == "remote", list.page,
                              list.per_page};
  if (query.remote && query.q.empty()) {
    return error_response(make_validation_error({{"q", {"is required when source is remote"}}}));
  }
  return ask(self, providers, page_encoder<domain::contact_record>(list, contact_json),
             contacts_atom::value, req.user_id, id, std::move(query));
}

caf::result<response> start_connect(self_pointer self, const providers_actor& providers,
                                    const request& req, std::int64_t id) {
  return ask(self, providers, authorize_answer(req), authorize_atom::value, req.user_id, id);
}

caf::result<response> finish_connect(self_pointer self, const providers_actor& providers,
                                     const request& req, std::int64_t id) {
  return ask(
      self, providers,
      [](const domain::provider_record& provider) {
        return json_response(200, provider_json(provider));
      },
      connect_atom::value, id,
      domain::oauth_callback{"", req.query_param("code").value_or(""),
                             req.query_param("state").value_or(""), req.query_param("error")});
}

caf::result<response> act(self_pointer self, const providers_actor& providers, const request& req) {
  auto id = domain::parse_id(req.param("id"));
  if (!id) {
    return error_response(errc::not_found);
  }
  if (req.route == "/api/providers/{id}/test-connection") {
    return ask(
        self, providers,
        [](const domain::connection_test& test) {
          return json_response(200, connection_test_json(test));
        },
        test_atom::value, req.user_id, *id);
  }
  if (req.route == "/api/providers/{id}/sync-contacts") {
    return ask(
        self, providers,
        [](const domain::sync_state& sync) {
          return json_response(202, {{"sync", sync_json(sync)}});
        },
        sync_atom::value, req.user_id, *id);
  }
  if (req.route == "/api/providers/{id}/contacts") {
    return list_contacts(self, providers, req, *id);
  }
  if (req.route == "/api/providers/{id}/oauth/authorize") {
    return start_connect(self, providers, req, *id);
  }
  return finish_connect(self, providers, req, *id);
}

handler_actor::behavior_type provider_actions_handler(self_pointer self,
                                                      providers_actor providers) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, providers = std::move(providers)](request& req) -> caf::result<response> {
        return act(self, providers, req);
      });
}

}  // namespace

handler_actor spawn_provider_actions_handler(caf::actor_system& system, providers_actor providers) {
  return system.spawn(provider_actions_handler, std::move(providers));
}

void add_provider_actions_routes(router& routes, const handler_actor& handler) {
  routes.add("POST", "/api/providers/{id}/test-connection", handler, {access::authenticated});
  routes.add("POST", "/api/providers/{id}/sync-contacts", handler, {access::authenticated});
  routes.add("GET", "/api/providers/{id}/contacts", handler, {access::authenticated});
  routes.add("GET", "/api/providers/{id}/oauth/authorize", handler, {access::authenticated});
  // The platform sends the browser back without our token: the single-use state identifies the
  // user and the connection.
  routes.add("GET", "/api/providers/{id}/oauth/callback", handler, {access::auth_endpoint});
}

}  // namespace schedulerd::http
