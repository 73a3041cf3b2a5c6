#pragma once

#include "actors/gatekeeping.hpp"
#include "domain/address_range.hpp"
#include "domain/request_timeouts.hpp"
#include "http/cors.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"

#include <caf/fwd.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace schedulerd::http {

/// Settings of the request pipeline that every request passes through.
struct edge_settings {
  std::vector<std::string> cors_allowed_origins;
  /// TRUSTED_PROXIES: peers whose X-Forwarded-For names the client (http/forwarded_client.hpp).
  std::vector<domain::address_range> trusted_proxies;
  int rate_limit_per_minute = 600;
  int rate_limit_auth_per_minute = 10;
  /// How long a handler actor may take before the client gets 503.
  std::chrono::milliseconds handler_timeout = domain::handler_timeout;
  /// Longest request target (path and query) served; a longer one gets 414, as nginx answers.
  std::size_t max_target_bytes = std::size_t{8} << 10U;
  /// Largest header section (names, values and separators) served; a larger one gets 431.
  std::size_t max_header_bytes = std::size_t{16} << 10U;
  /// Resolves bearer tokens; while unset, authenticated routes answer 401.
  actors::authenticator_actor authenticator;
  /// Counts requests against budgets; while unset, nothing is limited.
  actors::rate_limiter_actor rate_limiter;
  /// Counts every answered request (docs/metrics.md); while unset, nothing is counted.
  std::shared_ptr<request_metrics> metrics;
};

/// The request pipeline between the HTTP library and the handler actors: request ids, routing,
/// body checks, CORS, authentication, rate limits, common headers and the access log.
class edge {
 public:
  /// Sends the response back to the client; callable from any thread, exactly once.
  using reply_fn = std::function<void(response)>;

  /// Builds the pipeline over `routes`; `system` runs the per-request bridge actors.
  edge(caf::actor_system& system, router routes, edge_settings settings,
       std::shared_ptr<log::logger> logger);

  /// Waits (bounded by the handler timeout) for requests still finishing, which use this edge.
  ~edge();

  edge(const edge&) = delete;
  edge& operator=(const edge&) = delete;

  /// Takes one request; never blocks on I/O and answers through `reply` exactly once.
  void handle(request req, reply_fn reply);

  /// Refuses new requests with 503 and waits up to `grace` for in-flight ones; true if all ended.
  bool drain(std::chrono::milliseconds grace);

  /// Drops the edge's hold on the gatekeeping actors so the actor system can shut down; call it
  /// once the server has stopped (requests still in flight keep their own reference).
  void release_actors() noexcept { settings_.reset(); }

  /// The routing table (for documentation checks).
  [[nodiscard]] const router& routes() const noexcept { return routes_; }

  /// The logger of the access log, which the HTTP server also writes its connection events to.
  [[nodiscard]] const std::shared_ptr<log::logger>& logger() const noexcept { return logger_; }

 private:
  friend struct exchange;

  void finished();

  caf::actor_system& system_;
  router routes_;
  std::shared_ptr<const edge_settings> settings_;
  std::chrono::milliseconds handler_timeout_;
  cors_policy cors_;
  std::shared_ptr<log::logger> logger_;
  // Kept apart from settings_, which release_actors() drops while late answers may still finish.
  std::shared_ptr<request_metrics> metrics_;
  std::atomic<bool> draining_{false};
  std::size_t in_flight_ = 0;
  std::mutex in_flight_mutex_;
  std::condition_variable all_done_;
};

}  // namespace schedulerd::http
