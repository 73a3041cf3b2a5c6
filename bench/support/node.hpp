#pragma once

#include "bench/support/fake_provider.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace schedulerd::bench {

/// How to start a node.
struct node_options {
  /// "postgres" (a fresh database on SCHEDULERD_TEST_PG) or "sqlite" (a temporary file).
  std::string backend = "sqlite";
  /// How the fake provider answers.
  provider_behaviour provider;
  /// CONNECTOR_MAX_IN_FLIGHT: concurrent sends per connection.
  int max_in_flight = 50;
};

/// The real `schedulerd` binary on its own fresh database, pointed at its own fake provider.
class node {
 public:
  /// Creates the database and the provider, then starts the service.
  explicit node(const node_options& options);

  /// The service's base URL.
  [[nodiscard]] const std::string& base_url() const { return service_->base_url(); }
  /// The fake provider the service sends to.
  [[nodiscard]] fake_provider& provider() { return *provider_; }
  /// The database the service uses.
  [[nodiscard]] const testing::test_database& database() const { return database_; }
  /// How long the last start took until the service listened.
  [[nodiscard]] std::chrono::milliseconds start_time() const { return start_time_; }

  /// The service's process id.
  [[nodiscard]] int pid() const { return service_->pid(); }
  /// The service's peak resident set so far (VmHWM), in kB.
  [[nodiscard]] std::int64_t peak_rss_kb() const;
  /// The service's resident set now (VmRSS), in kB.
  [[nodiscard]] std::int64_t rss_kb() const;
  /// Stops the service (SIGTERM, then waits for it to exit).
  void stop();
  /// Stops the service and starts a new process on the same database and provider.
  void restart();

 private:
  [[nodiscard]] std::int64_t status_field_kb(const std::string& field) const;
  void start();

  node_options options_;
  testing::test_database database_;
  std::unique_ptr<fake_provider> provider_;
  std::unique_ptr<testing::service_process> service_;
  std::chrono::milliseconds start_time_{0};
};

}  // namespace schedulerd::bench
