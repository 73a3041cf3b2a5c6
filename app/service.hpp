#pragma once

#include "actors/housekeeper.hpp"
#include "config/service_config.hpp"
#include "domain/clock.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace schedulerd::app {

/// What a test may replace in a running service.
struct service_options {
  /// The clock every component reads.
  domain::clock_fn now = domain::system_now_ms;
  /// How often token last-use times are written to the database.
  std::chrono::milliseconds token_flush_every{30000};
  /// How often the housekeeper purges expired rows and folds the message counts in.
  actors::housekeeping_intervals housekeeping;
  /// How long an idle connector actor lives.
  std::chrono::milliseconds connector_idle_timeout{std::chrono::minutes{10}};
  /// Wait before an import retries a page that failed retryably (doubled each try).
  std::chrono::milliseconds sync_retry_delay{std::chrono::seconds{1}};
  /// Called once, on an actor's thread, when a top-level supervisor gives up; `serve` then stops
  /// the process with a failure status so that its supervisor (Docker, systemd) starts it anew.
  std::function<void()> on_gave_up;
};

/// Creates or upgrades the schema; throws std::runtime_error when the database cannot be used.
void apply_migrations(const config::service_config& settings, log::logger& logger);

/// The whole running service: actors, HTTP edge and server. `main` and the in-process API tests
/// build it the same way, so what the tests exercise is what ships.
class service {
 public:
  /// Migrates the database, spawns every actor and starts listening; throws std::runtime_error
  /// (with a one-line reason) when the database or the address cannot be used.
  service(const config::service_config& settings, const std::shared_ptr<log::logger>& logger,
          const service_options& options = {});

  /// Stops everything that still runs.
  ~service();

  service(const service&) = delete;
  service& operator=(const service&) = delete;
  service(service&&) = delete;
  service& operator=(service&&) = delete;

  /// The port the server listens on.
  [[nodiscard]] std::uint16_t port() const noexcept;

  /// Every route the service answers (for the documentation parity test).
  [[nodiscard]] const http::router& routes() const noexcept;

  /// `http://host:port`.
  [[nodiscard]] std::string base_url() const;

  /// The directory of long-lived actors (see actors/directory.hpp), for the admin console.
  [[nodiscard]] caf::actor directory() const;

  /// The actor system every actor of the service runs in.
  [[nodiscard]] caf::actor_system& actors() noexcept;

  /// Whether a top-level supervisor gave up (its children failed too often): the service runs
  /// without part of itself and should be stopped.
  [[nodiscard]] bool gave_up() const noexcept;

  /// Refuses new requests, waits up to `grace` for in-flight ones, then stops the server and the
  /// actors in reverse order of their start; returns whether every request finished in time.
  bool stop(std::chrono::milliseconds grace);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace schedulerd::app
