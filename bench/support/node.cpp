#include "bench/support/node.hpp"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace schedulerd::bench {

namespace {

constexpr const char* app_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

testing::test_database fresh_database(const std::string& backend) {
  return backend == "postgres" ? testing::test_database::postgres()
                               : testing::test_database::sqlite();
}

}  // namespace

node::node(const node_options& options)
    : options_(options),
      database_(fresh_database(options.backend)),
      provider_(std::make_unique<fake_provider>(options.provider)) {
  start();
}

void node::start() {
  // Limits far above what a benchmark sends, so only the engine and the backends set the pace;
  // short backoff so that retried messages come back within the run.
  testing::environment env{{"DATABASE_URL", database_.url()},
                           {"APP_KEY", app_key},
                           {"HUGGY_API_BASE_URL", provider_->api_base_url()},
                           {"HUGGY_AUTH_BASE_URL", provider_->auth_base_url()},
                           {"CONNECTOR_MAX_IN_FLIGHT", std::to_string(options_.max_in_flight)},
                           {"CONNECTOR_RATE_PER_SECOND", "1000000"},
                           {"RATE_LIMIT_PER_MINUTE", "1000000"},
                           {"RATE_LIMIT_AUTH_PER_MINUTE", "1000000"},
                           {"DISPATCH_BACKOFF_BASE_MS", "200"},
                           {"DISPATCH_BACKOFF_MAX_MS", "1000"},
                           {"LOG_LEVEL", "warn"}};
  if (const char* redis = std::getenv("SCHEDULERD_TEST_REDIS")) env.emplace("REDIS_URL", redis);
  const auto before = std::chrono::steady_clock::now();
  service_ = std::make_unique<testing::service_process>(env);
  start_time_ = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - before);
}

void node::stop() {
  if (!service_) return;
  service_->signal(SIGTERM);
  static_cast<void>(service_->wait_exit(std::chrono::seconds{20}));
  service_.reset();
}

void node::restart() {
  stop();
  start();
}

std::int64_t node::status_field_kb(const std::string& field) const {
  std::ifstream status{"/proc/" + std::to_string(service_->pid()) + "/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream values{line.substr(field.size() + 1)};
      std::int64_t kb = 0;
      values >> kb;
      return kb;
    }
  }
  return 0;
}

std::int64_t node::peak_rss_kb() const {
  return status_field_kb("VmHWM");
}

std::int64_t node::rss_kb() const {
  return status_field_kb("VmRSS");
}

}  // namespace schedulerd::bench
