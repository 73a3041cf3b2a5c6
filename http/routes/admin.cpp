#include "http/routes/admin.hpp"

#include "actors/errc.hpp"
#include "domain/ids.hpp"
#include "domain/message_filters.hpp"
#include "http/json/admin_json.hpp"
#include "http/json/messages_json.hpp"
#include "http/json/snapshot_json.hpp"
#include "http/reply.hpp"
#include "http/routes/list_request.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace schedulerd::http {

namespace {

using self_pointer = handler_actor::pointer;
using services::admin_actor;

// Admin lists have one order each (failed messages: latest failure first; connections: by id;
// the audit: newest first), so they take no `sort`.
const domain::list_query_rules& admin_list_rules() {
  static const domain::list_query_rules rules{{}, {}};
  return rules;
}

// Answers `ask_service(query)` for the list query of `req`; unless `filters_allowed`, any other
// parameter is refused.
template <class Ask>
caf::result<response> with_page(const request& req, bool filters_allowed, Ask ask_service) {
  auto parsed = parse_list_request(req, admin_list_rules());
  if (auto* refused = std::get_if<response>(&parsed)) {
    return std::move(*refused);
  }
  auto query = std::get<domain::list_query>(std::move(parsed));
  if (!filters_allowed && !query.filters.empty()) {
    field_errors problems;
    for (const auto& filter : query.filters) {
      problems[filter.first].emplace_back("is not a filter of this list");
    }
    return error_response(make_validation_error(std::move(problems)));
  }
  return ask_service(query);
}

caf::result<response> failed_messages(self_pointer self, const admin_actor& admin,
                                      const request& req) {
  return with_page(req, true, [&](const domain::list_query& query) -> caf::result<response> {
    auto filter = domain::to_failed_filter(query);
    if (auto* problems = std::get_if<field_errors>(&filter)) {
      return error_response(make_validation_error(std::move(*problems)));
    }
    return ask(self, admin, page_encoder<domain::message_record>(query, write_admin_message),
               list_atom::value, req.user_id, std::get<domain::failed_filter>(std::move(filter)));
  });
}

response retried(std::int64_t count) {
  return json_response(200, {{"retried", count}});
}

// The action a POST route names, on the id in its path.
caf::result<response> act(self_pointer self, const admin_actor& admin, const request& req) {
  auto id = domain::parse_id(req.param("id"));
  if (!id) {
    return error_response(errc::not_found);
  }
  const auto& route = req.route;
  if (route == "/api/admin/scheduled-messages/{id}/retry") {
    return ask(self, admin, retried, retry_atom::value, req.user_id,
               domain::retry_scope{"message", *id});
  }
  if (route == "/api/admin/providers/{id}/retry-failed") {
    return ask(self, admin, retried, retry_atom::value, req.user_id,
               domain::retry_scope{"provider", *id});
  }
  if (route == "/api/admin/batches/{id}/retry-failed") {
    return ask(self, admin, retried, retry_atom::value, req.user_id,
               domain::retry_scope{"batch", *id});
  }
  if (route == "/api/admin/batches/{id}/cancel") {
    return ask(
        self, admin,
        [](const domain::batch_record& batch) { return json_response(200, batch_json(batch)); },
        batch_atom::value, cancel_atom::value, req.user_id, *id);
  }
  const bool pausing = route == "/api/admin/providers/{id}/pause";
  return ask(
      self, admin,
      [](const domain::admin_connection& changed) {
        return json_response(200, admin_connection_json(changed));
      },
      pause_atom::value, req.user_id, *id, pausing);
}

// Answers 403 (not an admin) or the stream cap's refusal as plain JSON, before any streaming.
caf::result<response> open_stream(self_pointer self, const admin_actor& admin, const request& req,
                                  const std::shared_ptr<stream_counter>& streams) {
  return ask(
      self, admin,
      [self, admin, streams, user = req.user_id](const actors::engine_snapshot& first) {
        auto slot = streams->acquire(user);
        if (auto* refused = std::get_if<response>(&slot)) {
          return std::move(*refused);
        }
        return admin_stream_response(self->system(), admin, user, first,
                                     std::get<std::shared_ptr<const void>>(std::move(slot)),
                                     streams->caps().every);
      },
      get_atom::value, report_atom::value, req.user_id);
}

handler_actor::behavior_type admin_handler(self_pointer self, admin_actor admin, stream_caps caps) {
  return actors::introspected<handler_actor::behavior_type>(
      self,
      [self, admin = std::move(admin),
       streams = std::make_shared<stream_counter>(caps)](request& req) -> caf::result<response> {
        if (req.route == "/api/admin/stream") {
          return open_stream(self, admin, req, streams);
        }
        if (req.route == "/api/admin/failed-messages") {
          return failed_messages(self, admin, req);
        }
        if (req.route == "/api/admin/providers") {
          return with_page(req, false, [&](const domain::list_query& query) {
            return ask(self, admin,
                       page_encoder<domain::admin_connection>(query, admin_connection_json),
                       connections_atom::value, req.user_id, query);
          });
        }
        if (req.route == "/api/admin/snapshot") {
          return ask(
              self, admin,
              [](const actors::engine_snapshot& taken) {
                return json_response(200, snapshot_json(taken));
              },
              get_atom::value, report_atom::value, req.user_id);
        }
        if (req.route == "/api/admin/audit") {
          return with_page(req, false, [&](const domain::list_query& query) {
            return ask(self, admin, page_encoder<domain::audit_entry>(query, audit_entry_json),
                       audit_atom::value, req.user_id, query);
          });
        }
        return act(self, admin, req);
      });
}

}  // namespace

handler_actor spawn_admin_handler(caf::actor_system& system, admin_actor admin, stream_caps caps) {
  return system.spawn(admin_handler, std::move(admin), caps);
}

void add_admin_routes(router& routes, const handler_actor& handler) {
  for (const char* list : {"/api/admin/failed-messages", "/api/admin/providers", "/api/admin/audit",
                           "/api/admin/snapshot", "/api/admin/stream"}) {
    routes.add("GET", list, handler, {access::authenticated});
  }
  for (const char* action :
       {"/api/admin/scheduled-messages/{id}/retry", "/api/admin/providers/{id}/retry-failed",
        "/api/admin/providers/{id}/pause", "/api/admin/providers/{id}/resume",
        "/api/admin/batches/{id}/retry-failed", "/api/admin/batches/{id}/cancel"}) {
    routes.add("POST", action, handler, {access::authenticated, 1024});
  }
}

}  // namespace schedulerd::http
