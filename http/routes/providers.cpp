#include "http/routes/providers.hpp"

#include "actors/errc.hpp"
#include "domain/ids.hpp"
#include "http/json/body_reader.hpp"
#include "http/json/list_json.hpp"
#include "http/json/providers_json.hpp"
#include "http/reply.hpp"
#include "http/routes/list_request.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;
using services::providers_actor;

const domain::list_query_rules& provider_list_rules() {
  static const domain::list_query_rules rules{{"id", "name", "created_at"}, {"created_at", true}};
  return rules;
}

response provider_response(int status, const domain::provider_record& provider) {
  return json_response(status, provider_json(provider));
}

caf::result<response> list_types(self_pointer self, const providers_actor& providers) {
  return ask(
      self, providers,
      [](const std::vector<domain::provider_type_info>& types) {
        auto data = nlohmann::json::array();
        for (const auto& type : types) {
          data.push_back(provider_type_json(type));
        }
        return json_response(200, {{"data", std::move(data)}});
      },
      types_atom::value);
}

caf::result<response> list_providers(self_pointer self, const providers_actor& providers,
                                     const request& req) {
  auto parsed = parse_list_request(req, provider_list_rules());
  if (auto* refused = std::get_if<response>(&parsed)) {
    return std::move(*refused);
  }
  auto query = std::get<domain::list_query>(std::move(parsed));
  return ask(self, providers, page_encoder<domain::provider_record>(query, provider_json),
             list_atom::value, req.user_id, query);
}

caf::result<response> create_provider(self_pointer self, const providers_actor& providers,
                                      const request& req) {
  body_reader body{req.body};
  auto type = body.required_string("type");
  auto name = body.required_string("name");
  auto credentials = body.optional_fields("credentials");
  auto settings = body.optional_fields("settings");
  if (!body.has("credentials")) {
    body.add_error("credentials", "is required");
  }
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  return ask(
      self, providers,
      [](const domain::provider_record& provider) { return provider_response(201, provider); },
      create_atom::value, req.user_id,
      domain::provider_draft{*type, *name, credentials.value_or(domain::field_values{}),
                             settings.value_or(domain::field_values{})});
}

caf::result<response> update_provider(self_pointer self, const providers_actor& providers,
                                      const request& req, std::int64_t id) {
  body_reader body{req.body};
  domain::provider_patch patch{body.optional_string("name"), body.optional_fields("credentials"),
                               body.optional_fields("settings"), body.optional_bool("enabled")};
  if (body.errors().empty() && !patch.name && !patch.credentials && !patch.settings &&
      !patch.enabled) {
    body.add_error("body", "must change at least one of name, credentials, settings, enabled");
  }
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  return ask(
      self, providers,
      [](const domain::provider_record& provider) { return provider_response(200, provider); },
      update_atom::value, req.user_id, id, std::move(patch));
}

caf::result<response> delete_provider(self_pointer self, const providers_actor& providers,
                                      const request& req, std::int64_t id) {
  auto force = req.query_param("force");
  if (force && *force != "true" && *force != "false") {
    return error_response(make_validation_error({{"force", {"must be true or false"}}}));
  }
  return ask(
      self, providers, [](bool) { return empty_response(204); }, delete_atom::value, req.user_id,
      id, force == std::optional<std::string>{"true"});
}

caf::result<response> one_provider(self_pointer self, const providers_actor& providers,
                                   const request& req) {
  auto id = domain::parse_id(req.param("id"));
  if (!id) {
    return error_response(errc::not_found);
  }
  if (req.method == "PUT") {
    return update_provider(self, providers, req, *id);
  }
  if (req.method == "DELETE") {
    return delete_provider(self, providers, req, *id);
  }
  return ask(
      self, providers,
      [](const domain::provider_record& provider) { return provider_response(200, provider); },
      get_atom::value, req.user_id, *id);
}

handler_actor::behavior_type providers_handler(self_pointer self, providers_actor providers) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, providers = std::move(providers)](request& req) -> caf::result<response> {
        if (req.route == "/api/provider-types") {
          return list_types(self, providers);
        }
        if (req.route == "/api/providers") {
          return req.method == "POST" ? create_provider(self, providers, req)
                                      : list_providers(self, providers, req);
        }
        return one_provider(self, providers, req);
      });
}

}  // namespace

handler_actor spawn_providers_handler(caf::actor_system& system, providers_actor providers) {
  return system.spawn(providers_handler, std::move(providers));
}

void add_providers_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/provider-types", handler, {access::authenticated});
  routes.add("GET", "/api/providers", handler, {access::authenticated});
  routes.add("POST", "/api/providers", handler, {access::authenticated});
  routes.add("GET", "/api/providers/{id}", handler, {access::authenticated});
  routes.add("PUT", "/api/providers/{id}", handler, {access::authenticated});
  routes.add("DELETE", "/api/providers/{id}", handler, {access::authenticated});
}

}  // namespace schedulerd::http
