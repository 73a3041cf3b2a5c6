#pragma once

#include "actors/errc.hpp"
#include "services/context.hpp"
#include "tests/support/test_databases.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// The infrastructure the service actors stand on (database pool, blocking pools, session
/// registry, rate limiter), running on a test database with a manual clock and cheap argon2, for
/// tests that talk to one service actor directly.
class service_harness {
 public:
  /// Starts the infrastructure on `database`, which must outlive the harness; the limiter counts
  /// in Redis at `redis_url`, or in process when it is empty.
  explicit service_harness(const test_database& database, const std::string& redis_url = {});
  ~service_harness();

  service_harness(const service_harness&) = delete;
  service_harness& operator=(const service_harness&) = delete;

  /// The actor system the service actors are spawned in.
  caf::actor_system& system() { return *system_; }

  /// What to spawn a service actor with.
  [[nodiscard]] const services::service_context& context() const { return context_; }

  /// Stops `actor` (and lets go of it) when the harness stops, even when a test fails half-way.
  template <class Handle>
  Handle track(Handle actor) {
    tracked_.push_back(caf::actor_cast<caf::actor>(actor));
    return actor;
  }

  /// Moves the clock the services read.
  void advance(std::chrono::milliseconds by) { *now_ms_ += by.count(); }

  /// The time the services read, milliseconds since the epoch.
  [[nodiscard]] std::int64_t now() const { return *now_ms_; }

  /// Sends `args...` to `target` and waits (10 s at most) for its reply of type T, or its error.
  template <class T, class Handle, class... Ts>
  caf::expected<T> ask(const Handle& target, Ts&&... args) {
    caf::scoped_actor self{*system_};
    caf::expected<T> outcome{make_error(errc::internal, "no reply")};
    self->request(target, std::chrono::seconds{10}, std::forward<Ts>(args)...)
        .receive([&](T& value) { outcome = std::move(value); },
                 [&](caf::error& err) { outcome = std::move(err); });
    return outcome;
  }

 private:
  caf::actor_system_config config_;
  std::unique_ptr<caf::actor_system> system_;
  std::shared_ptr<std::atomic<std::int64_t>> now_ms_ =
      std::make_shared<std::atomic<std::int64_t>>(1'800'000'000'000);
  services::service_context context_;
  std::vector<caf::actor> tracked_;
};

/// The errc of a failed outcome (internal when it did not fail).
template <class T>
errc error_code(const caf::expected<T>& outcome) {
  return outcome ? errc::internal : describe(outcome.error()).code;
}

}  // namespace schedulerd::testing
