#pragma once

#include "app/service.hpp"
#include "config/service_config.hpp"
#include "providers/http_client.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/test_databases.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

namespace schedulerd::testing {

/// A clock that tests move by hand.
struct manual_clock {
  std::atomic<std::int64_t> now_ms{1'800'000'000'000};

  /// Moves the clock forward.
  void advance(std::chrono::milliseconds by) { now_ms += by.count(); }
};

/// The whole service running in-process on a throwaway database, listening on a free port, with a
/// manual clock, cheap password hashing and its log captured for inspection.
class api_fixture {
 public:
  /// Starts on a fresh database of `backend` ("sqlite" or "postgres"); `tune` may change settings
  /// and `tune_options` what the service lets tests replace (intervals).
  explicit api_fixture(const std::string& backend = "sqlite",
                       const std::function<void(config::service_config&)>& tune = {},
                       const std::function<void(app::service_options&)>& tune_options = {});
  ~api_fixture();

  api_fixture(const api_fixture&) = delete;
  api_fixture& operator=(const api_fixture&) = delete;

  /// Sends `method` to `path` (below the base URL) with an optional JSON body and bearer token.
  providers::outbound_response call(const std::string& method, const std::string& path,
                                    const nlohmann::json& body = nullptr,
                                    const std::string& token = {},
                                    http::header_list extra_headers = {});

  /// Registers a user and returns its token (fails the test if registration fails).
  std::string register_user(const std::string& email, const std::string& password = "correct horse",
                            const std::string& name = "Test User");

  /// Everything the service logged so far.
  [[nodiscard]] std::string log_text() const;

  /// The service's base URL.
  [[nodiscard]] std::string base_url() const { return running_->base_url(); }

  /// The manual clock the service reads.
  manual_clock& clock() { return *clock_; }

  /// The running service, for tests that reach its actors.
  app::service& service() { return *running_; }

  /// The database the service runs on.
  [[nodiscard]] const test_database& database() const { return database_; }

  /// The settings the service runs with.
  [[nodiscard]] const config::service_config& settings() const { return settings_; }

 private:
  test_database database_;
  std::shared_ptr<manual_clock> clock_ = std::make_shared<manual_clock>();
  std::FILE* log_file_;
  config::service_config settings_;
  std::unique_ptr<app::service> running_;
};

}  // namespace schedulerd::testing
