#include "config/dotenv.hpp"
#include "config/loader.hpp"
#include "config/text_file.hpp"
#include "tests/config/load_helpers.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <tuple>

using namespace schedulerd::config;
using namespace schedulerd::config::testing;

namespace {

// Every field, so that two configurations can be compared in one CHECK.
auto fields(const service_config& c) {
  return std::tie(
      c.http_host, c.http_port, c.max_connections, c.database_url, c.redis_url, c.previous_app_keys,
      c.huggy_api_base_url, c.huggy_auth_base_url, c.google.client_id, c.google.client_secret,
      c.google.authorize_url, c.google.token_url, c.google.api_url, c.github.client_id,
      c.github.client_secret, c.github.authorize_url, c.github.token_url, c.github.api_url,
      c.public_base_url, c.cors_allowed_origins, c.trusted_proxies, c.admin_emails,
      c.dispatch_max_attempts, c.dispatch_backoff_base_ms, c.dispatch_backoff_max_ms,
      c.connector_max_in_flight, c.connector_rate_per_second, c.rate_limit_per_minute,
      c.rate_limit_auth_per_minute, c.log_level, c.log_format, c.db_pool_size, c.shutdown_grace_ms,
      c.argon2.memory_kib, c.argon2.iterations, c.argon2.parallelism, c.session_token_ttl_ms,
      c.var_dir, c.roles.api, c.roles.dispatch);
}

// The `# KEY=value` lines of .env.example, uncommented.
dotenv_values example_settings() {
  // ctest names the source tree; a directly run binary still has the absolute __FILE__ of CMake.
  const char* source_dir = std::getenv("SCHEDULERD_SOURCE_DIR");
  const auto root = source_dir != nullptr
                        ? std::filesystem::path(source_dir)
                        : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  const auto path = root / ".env.example";
  const auto text = read_text_file(path);
  REQUIRE(text);
  std::string uncommented;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    const bool setting = line.size() > 2 && line.rfind("# ", 0) == 0 &&
                         std::isupper(static_cast<unsigned char>(line[2])) != 0 &&
                         line.find('=') != std::string::npos && line.find(' ', 2) > line.find('=');
    if (setting) uncommented += line.substr(2) + "\n";
  }
  auto parsed = parse_dotenv(uncommented);
  REQUIRE(std::holds_alternative<dotenv_values>(parsed));
  return std::get<dotenv_values>(parsed);
}

}  // namespace

TEST_CASE(".env.example lists every variable with its real default", "[config]") {
  const auto settings = example_settings();
  std::vector<std::string> names;
  for (const auto& [name, value] : settings) names.push_back(name);
  CHECK_THAT(names, Catch::Matchers::UnorderedEquals(
                        std::vector<std::string>{"HTTP_HOST",
                                                 "HTTP_PORT",
                                                 "MAX_CONNECTIONS",
                                                 "DATABASE_URL",
                                                 "DB_POOL_SIZE",
                                                 "REDIS_URL",
                                                 "APP_KEY",
                                                 "APP_PREVIOUS_KEYS",
                                                 "HUGGY_API_BASE_URL",
                                                 "HUGGY_AUTH_BASE_URL",
                                                 "GOOGLE_CLIENT_ID",
                                                 "GOOGLE_CLIENT_SECRET",
                                                 "GOOGLE_AUTHORIZE_URL",
                                                 "GOOGLE_TOKEN_URL",
                                                 "GOOGLE_USERINFO_URL",
                                                 "GITHUB_CLIENT_ID",
                                                 "GITHUB_CLIENT_SECRET",
                                                 "GITHUB_AUTHORIZE_URL",
                                                 "GITHUB_TOKEN_URL",
                                                 "GITHUB_API_URL",
                                                 "PUBLIC_BASE_URL",
                                                 "CORS_ALLOWED_ORIGINS",
                                                 "TRUSTED_PROXIES",
                                                 "ADMIN_EMAILS",
                                                 "DISPATCH_MAX_ATTEMPTS",
                                                 "DISPATCH_BACKOFF_BASE_MS",
                                                 "DISPATCH_BACKOFF_MAX_MS",
                                                 "DISPATCH_LEASE_MS",
                                                 "DISPATCH_LEAD_MS",
                                                 "DISPATCH_MAX_CLAIMED",
                                                 "CONNECTOR_MAX_IN_FLIGHT",
                                                 "CONNECTOR_RATE_PER_SECOND",
                                                 "RATE_LIMIT_PER_MINUTE",
                                                 "RATE_LIMIT_AUTH_PER_MINUTE",
                                                 "LOGIN_FAILURES_PER_ACCOUNT",
                                                 "LOGIN_FAILURE_WINDOW_MINUTES",
                                                 "MAX_TOKENS_PER_USER",
                                                 "LOG_LEVEL",
                                                 "LOG_FORMAT",
                                                 "SHUTDOWN_GRACE_MS",
                                                 "ARGON2_MEMORY_KIB",
                                                 "ARGON2_ITERATIONS",
                                                 "ARGON2_PARALLELISM",
                                                 "SESSION_TOKEN_TTL_MS",
                                                 "VAR_DIR",
                                                 "NODE_ROLES"}));

  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  const auto defaults = load_ok(sources).config;
  auto var_dir = sources.environment.at("VAR_DIR");
  sources.environment = settings;
  sources.environment["VAR_DIR"] = var_dir;  // the example's `var` would write into the work tree
  CHECK(fields(load_ok(sources).config) == fields(defaults));
}
