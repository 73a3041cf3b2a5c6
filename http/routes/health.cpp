#include "http/routes/health.hpp"

#include "actors/type_ids.hpp"
#include "http/reply.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

// One health check in flight: collects each probe's verdict, answers when all are in.
struct health_check {
  caf::typed_response_promise<response> promise;
  std::chrono::steady_clock::time_point started_service;
  std::string database = "down";
  std::string redis = "disabled";
  std::string scheduler = "disabled";
  int outstanding = 0;

  void settle() {
    if (--outstanding > 0) {
      return;
    }
    // Redis is optional (limits fall back to in-process), so only the database decides.
    bool healthy = database == "ok";
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::steady_clock::now() - started_service)
                      .count();
    nlohmann::json body{
        {"status", healthy ? "ok" : "degraded"},
        {"checks", {{"database", database}, {"redis", redis}, {"scheduler", scheduler}}},
        {"version", SCHEDULERD_VERSION},
        {"uptime_s", uptime}};
    promise.deliver(json_response(healthy ? 200 : 503, body));
  }
};

struct health_state {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

void probe(handler_actor::stateful_pointer<health_state> self, const caf::actor& target,
           std::chrono::milliseconds timeout, const std::shared_ptr<health_check>& check,
           std::string health_check::*verdict, const char* failed = "down") {
  if (!target) {
    return;
  }
  ++check->outstanding;
  self->request(target, timeout, ping_atom::value)
      .then(
          [check, verdict, failed](bool up) {
            check.get()->*verdict = up ? "ok" : failed;
            check->settle();
          },
          [check, verdict, failed](caf::error&) {
            check.get()->*verdict = failed;
            check->settle();
          });
}

handler_actor::behavior_type health_handler(handler_actor::stateful_pointer<health_state> self,
                                            const health_probes& probes) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, probes](request&) -> caf::result<response> {
        auto check = std::make_shared<health_check>();
        check->promise = self->make_response_promise<response>();
        check->started_service = self->state.started;
        // One count held until every probe has been sent, so none can settle the check early.
        check->outstanding = 1;
        probe(self, probes.database, probes.timeout, check, &health_check::database);
        probe(self, probes.redis, probes.timeout, check, &health_check::redis);
        // A late scheduler shows as `degraded`; only the database decides the status code.
        probe(self, probes.scheduler, probes.timeout, check, &health_check::scheduler, "degraded");
        auto promise = check->promise;
        check->settle();
        return promise;
      });
}

}  // namespace

handler_actor spawn_health_handler(caf::actor_system& system, health_probes probes) {
  return system.spawn(health_handler, std::move(probes));
}

void add_health_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/health", handler, route_options{access::open});
}

}  // namespace schedulerd::http
