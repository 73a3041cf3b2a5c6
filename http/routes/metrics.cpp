#include "http/routes/metrics.hpp"

#include "http/status.hpp"
#include "metrics/text_format.hpp"

#include <caf/all.hpp>

namespace schedulerd::http {

namespace {

// Which build answers: a constant 1 labelled with the version, the usual Prometheus idiom.
metrics::family build_info() {
  auto info = metrics::make_family("schedulerd_build_info",
                                   "Always 1; the version label names the running build.",
                                   metrics::metric_type::gauge);
  metrics::add_sample(info, {{"version", SCHEDULERD_VERSION}}, 1);
  return info;
}

handler_actor::behavior_type metrics_handler(handler_actor::pointer self,
                                             const actors::metrics_actor& collector,
                                             std::chrono::milliseconds timeout) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [self, collector, timeout](request&) -> caf::result<response> {
        auto promise = self->make_response_promise<response>();
        self->request(collector, timeout, get_atom::value)
            .then(
                [promise](std::vector<metrics::family>& families) mutable {
                  families.insert(families.begin(), build_info());
                  response res;
                  res.set_header("content-type", std::string{metrics::text_content_type});
                  res.body = metrics::render(families);
                  promise.deliver(std::move(res));
                },
                [promise](caf::error&) mutable {
                  promise.deliver(error_response(errc::unavailable));
                });
        return promise;
      });
}

}  // namespace

handler_actor spawn_metrics_handler(caf::actor_system& system, actors::metrics_actor collector,
                                    std::chrono::milliseconds timeout) {
  return system.spawn(metrics_handler, std::move(collector), timeout);
}

void add_metrics_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/metrics", handler, route_options{access::open});
}

}  // namespace schedulerd::http
