#include "config/loader.hpp"
#include "tests/config/load_helpers.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace schedulerd;
using namespace schedulerd::config;
using namespace schedulerd::config::testing;

namespace {

constexpr auto valid_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // bytes 0..31

}  // namespace

TEST_CASE("with nothing set every setting takes its documented default", "[config]") {
  const scratch_directory dir;
  const auto loaded = load_ok(isolated_sources(dir));
  const auto& c = loaded.config;
  const service_config defaults;

  CHECK(c.http_host == "127.0.0.1");
  CHECK(c.http_port == 8080);
  CHECK(c.max_connections == 1024);
  CHECK(c.database_url == "sqlite://var/schedulerd.db");
  CHECK(c.redis_url.empty());
  CHECK(c.app_key.size() == 32);
  CHECK(c.previous_app_keys.empty());
  CHECK(c.huggy_api_base_url == "https://api.huggy.app/v3");
  CHECK(c.huggy_auth_base_url == "https://auth.huggy.app");
  CHECK_FALSE(c.google.enabled());
  CHECK(c.google.authorize_url == defaults.google.authorize_url);
  CHECK(c.google.token_url == defaults.google.token_url);
  CHECK(c.google.api_url == "https://openidconnect.googleapis.com/v1/userinfo");
  CHECK_FALSE(c.github.enabled());
  CHECK(c.github.api_url == "https://api.github.com");
  CHECK(c.public_base_url == "http://127.0.0.1:8080");
  CHECK(c.cors_allowed_origins.empty());
  CHECK(c.trusted_proxies.empty());
  CHECK(c.admin_emails.empty());
  CHECK(c.dispatch_max_attempts == 5);
  CHECK(c.dispatch_backoff_base_ms == 1000);
  CHECK(c.dispatch_backoff_max_ms == 300000);
  CHECK(c.dispatch_lead_ms == 2000);
  CHECK(c.dispatch_max_claimed == 20000);
  CHECK(c.connector_max_in_flight == 8);
  CHECK(c.connector_rate_per_second == 20);
  CHECK(c.rate_limit_per_minute == 600);
  CHECK(c.rate_limit_auth_per_minute == 10);
  CHECK(c.login_failures_per_account == 20);
  CHECK(c.login_failure_window_minutes == 15);
  CHECK(c.max_tokens_per_user == 100);
  CHECK(c.log_level == log::level::info);
  CHECK(c.log_format == log::format::json);
  CHECK(c.db_pool_size == 4);
  CHECK(c.shutdown_grace_ms == 5000);
  CHECK(c.argon2.memory_kib == 19456);
  CHECK(c.argon2.iterations == 2);
  CHECK(c.argon2.parallelism == 1);
  CHECK(c.session_token_ttl_ms == 2'592'000'000);
  CHECK(c.var_dir == dir / "var");
}

TEST_CASE("LOG_FORMAT defaults to text when stderr is a terminal", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.stderr_is_terminal = true;
  CHECK(load_ok(sources).config.log_format == log::format::text);

  sources.environment["LOG_FORMAT"] = "json";
  CHECK(load_ok(sources).config.log_format == log::format::json);
}

TEST_CASE("every setting is read from its variable", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment.insert({
      {"HTTP_HOST", "0.0.0.0"},
      {"HTTP_PORT", "0"},
      {"DATABASE_URL", "postgresql://app:secret@db.internal:5432/scheduler"},
      {"REDIS_URL", "redis://cache:6380/2"},
      {"APP_KEY", valid_key},
      {"HUGGY_API_BASE_URL", "http://127.0.0.1:9001/v3/"},
      {"HUGGY_AUTH_BASE_URL", "http://127.0.0.1:9002"},
      {"GOOGLE_CLIENT_ID", "google-id"},
      {"GOOGLE_CLIENT_SECRET", "google-secret"},
      {"GOOGLE_AUTHORIZE_URL", "http://127.0.0.1:9003/authorize"},
      {"GOOGLE_TOKEN_URL", "http://127.0.0.1:9003/token"},
      {"GOOGLE_USERINFO_URL", "http://127.0.0.1:9003/userinfo"},
      {"GITHUB_CLIENT_ID", "github-id"},
      {"GITHUB_CLIENT_SECRET", "github-secret"},
      {"GITHUB_AUTHORIZE_URL", "http://127.0.0.1:9004/login/oauth/authorize"},
      {"GITHUB_TOKEN_URL", "http://127.0.0.1:9004/login/oauth/access_token"},
      {"GITHUB_API_URL", "http://127.0.0.1:9004/api"},
      {"PUBLIC_BASE_URL", "https://scheduler.example.com"},
      {"CORS_ALLOWED_ORIGINS", " https://app.example.com , http://localhost:5173,"},
      {"ADMIN_EMAILS", "Ana@Example.com, ops@example.com "},
      {"DISPATCH_MAX_ATTEMPTS", "3"},
      {"DISPATCH_BACKOFF_BASE_MS", "250"},
      {"DISPATCH_BACKOFF_MAX_MS", "250"},
      {"DISPATCH_LEAD_MS", "0"},
      {"DISPATCH_MAX_CLAIMED", "40"},
      {"CONNECTOR_MAX_IN_FLIGHT", "2"},
      {"CONNECTOR_RATE_PER_SECOND", "0.5"},
      {"RATE_LIMIT_PER_MINUTE", "1000000"},
      {"RATE_LIMIT_AUTH_PER_MINUTE", "1"},
      {"LOGIN_FAILURES_PER_ACCOUNT", "3"},
      {"LOGIN_FAILURE_WINDOW_MINUTES", "1440"},
      {"MAX_TOKENS_PER_USER", "1"},
      {"LOG_LEVEL", "debug"},
      {"LOG_FORMAT", "text"},
      {"DB_POOL_SIZE", "64"},
      {"MAX_CONNECTIONS", "2"},
      {"SHUTDOWN_GRACE_MS", "0"},
      {"ARGON2_MEMORY_KIB", "64"},
      {"ARGON2_ITERATIONS", "1"},
      {"ARGON2_PARALLELISM", "8"},
      {"SESSION_TOKEN_TTL_MS", "60000"},
  });
  const auto loaded = load_ok(sources);
  const auto& c = loaded.config;

  CHECK(loaded.warnings.empty());
  CHECK(c.http_host == "0.0.0.0");
  CHECK(c.http_port == 0);
  CHECK(c.database_url == "postgresql://app:secret@db.internal:5432/scheduler");
  CHECK(c.redis_url == "redis://cache:6380/2");
  REQUIRE(c.app_key.size() == 32);
  CHECK(c.app_key[31] == 31);
  CHECK(c.huggy_api_base_url == "http://127.0.0.1:9001/v3");  // the trailing slash is dropped
  CHECK(c.huggy_auth_base_url == "http://127.0.0.1:9002");
  CHECK(c.google.enabled());
  CHECK(c.google.client_id == "google-id");
  CHECK(c.google.client_secret == "google-secret");
  CHECK(c.google.authorize_url == "http://127.0.0.1:9003/authorize");
  CHECK(c.google.token_url == "http://127.0.0.1:9003/token");
  CHECK(c.google.api_url == "http://127.0.0.1:9003/userinfo");
  CHECK(c.github.enabled());
  CHECK(c.github.client_id == "github-id");
  CHECK(c.github.client_secret == "github-secret");
  CHECK(c.github.authorize_url == "http://127.0.0.1:9004/login/oauth/authorize");
  CHECK(c.github.token_url == "http://127.0.0.1:9004/login/oauth/access_token");
  CHECK(c.github.api_url == "http://127.0.0.1:9004/api");
  CHECK(c.public_base_url == "https://scheduler.example.com");
  CHECK(c.cors_allowed_origins ==
        std::vector<std::string>{"https://app.example.com", "http://localhost:5173"});
  CHECK(c.admin_emails == std::vector<std::string>{"ana@example.com", "ops@example.com"});
  CHECK(c.dispatch_max_attempts == 3);
  CHECK(c.dispatch_backoff_base_ms == 250);
  CHECK(c.dispatch_backoff_max_ms == 250);
  CHECK(c.dispatch_lead_ms == 0);
  CHECK(c.dispatch_max_claimed == 40);
  CHECK(c.connector_max_in_flight == 2);
  CHECK(c.connector_rate_per_second == 0.5);
  CHECK(c.rate_limit_per_minute == 1000000);
  CHECK(c.rate_limit_auth_per_minute == 1);
  CHECK(c.login_failures_per_account == 3);
  CHECK(c.login_failure_window_minutes == 1440);
  CHECK(c.max_tokens_per_user == 1);
  CHECK(c.log_level == log::level::debug);
  CHECK(c.log_format == log::format::text);
  CHECK(c.db_pool_size == 64);
  CHECK(c.max_connections == 2);
  CHECK(c.shutdown_grace_ms == 0);
  CHECK(c.argon2.memory_kib == 64);
  CHECK(c.argon2.iterations == 1);
  CHECK(c.argon2.parallelism == 8);
  CHECK(c.session_token_ttl_ms == 60000);
}

TEST_CASE("TRUSTED_PROXIES reads addresses, CIDR blocks and the named sets", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["TRUSTED_PROXIES"] = " 192.0.2.7, 198.51.100.0/24 ,2001:db8::/32, loopback";
  const auto c = load_ok(sources).config;
  auto trusted = [&c](std::string_view address) {
    return domain::contains_any(c.trusted_proxies, *domain::parse_ip_address(address));
  };
  CHECK(trusted("192.0.2.7"));
  CHECK_FALSE(trusted("192.0.2.8"));
  CHECK(trusted("198.51.100.255"));
  CHECK_FALSE(trusted("198.51.101.0"));
  CHECK(trusted("2001:db8:ffff::1"));
  CHECK_FALSE(trusted("2001:db9::1"));
  CHECK(trusted("127.0.0.1"));
  CHECK(trusted("::1"));

  sources.environment["TRUSTED_PROXIES"] = "private";
  const auto named = load_ok(sources).config.trusted_proxies;
  for (const auto* inside : {"10.1.2.3", "172.31.255.255", "192.168.0.1", "fd12::1"}) {
    CAPTURE(inside);
    CHECK(domain::contains_any(named, *domain::parse_ip_address(inside)));
  }
  for (const auto* outside :
       {"11.0.0.1", "172.32.0.1", "192.169.0.1", "127.0.0.1", "2001:db8::1"}) {
    CAPTURE(outside);
    CHECK_FALSE(domain::contains_any(named, *domain::parse_ip_address(outside)));
  }
}

TEST_CASE("PUBLIC_BASE_URL defaults to the listening address", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["HTTP_HOST"] = "localhost";
  sources.environment["HTTP_PORT"] = "9090";
  CHECK(load_ok(sources).config.public_base_url == "http://localhost:9090");

  sources.environment["HTTP_HOST"] = "::1";
  CHECK(load_ok(sources).config.public_base_url == "http://[::1]:9090");
}

TEST_CASE("the environment wins over the config file which wins over .env", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  (void)dir.write(".env", "HTTP_PORT=1001\nLOG_LEVEL=warn\nDB_POOL_SIZE=7\n");
  sources.config_file = dir.write("schedulerd.conf", "HTTP_PORT=1002\nLOG_LEVEL=error\n");
  sources.environment["HTTP_PORT"] = "1003";

  const auto c = load_ok(sources).config;
  CHECK(c.http_port == 1003);               // environment
  CHECK(c.log_level == log::level::error);  // --config over .env
  CHECK(c.db_pool_size == 7);               // only in .env
  CHECK(c.rate_limit_per_minute == 600);    // nowhere: the default
}

TEST_CASE("an empty value counts as unset", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  (void)dir.write(".env", "HTTP_PORT=9000\nREDIS_URL=\n");
  sources.environment["HTTP_PORT"] = "";
  sources.environment["LOG_LEVEL"] = "";

  const auto c = load_ok(sources).config;
  CHECK(c.http_port == 9000);
  CHECK(c.log_level == log::level::info);
  CHECK(c.redis_url.empty());
}

TEST_CASE("unknown variables are ignored", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["PATH"] = "/usr/bin";
  sources.environment["HTTP_PORTS"] = "not a number";
  (void)dir.write(".env", "SOMETHING_ELSE=1\n");
  CHECK(load_ok(sources).config.http_port == 8080);
}

TEST_CASE("a bad value is reported as one line naming the variable", "[config]") {
  const auto [variable, value] = GENERATE(table<std::string, std::string>({
      {"HTTP_PORT", "65536"},
      {"HTTP_PORT", "-1"},
      {"HTTP_PORT", "80a"},
      {"HTTP_PORT", "eighty"},
      {"HTTP_HOST", "bad host"},
      {"DATABASE_URL", "mysql://db/app"},
      {"DATABASE_URL", "sqlite://"},
      {"DATABASE_URL", "var/schedulerd.db"},
      {"REDIS_URL", "redis://cache"},
      {"REDIS_URL", "redis://cache:6379/zero"},
      {"REDIS_URL", "http://cache:6379"},
      {"HUGGY_API_BASE_URL", "ftp://api.huggy.app/v3"},
      {"HUGGY_AUTH_BASE_URL", "auth.huggy.app"},
      {"GOOGLE_TOKEN_URL", "file:///etc/passwd"},
      {"GITHUB_API_URL", "https://"},
      {"PUBLIC_BASE_URL", "localhost:8080"},
      {"CORS_ALLOWED_ORIGINS", "https://app.example.com/path"},
      {"CORS_ALLOWED_ORIGINS", "https://ok.example.com, app.example.com"},
      {"CORS_ALLOWED_ORIGINS", "https://app.example.com:99999"},
      {"TRUSTED_PROXIES", "proxy.example.com"},
      {"TRUSTED_PROXIES", "10.0.0.0/33"},
      {"TRUSTED_PROXIES", "fd00::/129"},
      {"TRUSTED_PROXIES", "loopback, 10.0.0.1:80"},
      {"TRUSTED_PROXIES", "10.0.0.0/"},
      {"ADMIN_EMAILS", "admin@example.com, nobody"},
      {"DISPATCH_MAX_ATTEMPTS", "0"},
      {"DISPATCH_MAX_ATTEMPTS", "101"},
      {"DISPATCH_BACKOFF_BASE_MS", "0"},
      {"DISPATCH_BACKOFF_MAX_MS", "1.5"},
      {"DISPATCH_MAX_CLAIMED", "0"},
      {"CONNECTOR_MAX_IN_FLIGHT", "1001"},
      {"CONNECTOR_RATE_PER_SECOND", "0"},
      {"CONNECTOR_RATE_PER_SECOND", "-2"},
      {"CONNECTOR_RATE_PER_SECOND", "fast"},
      {"CONNECTOR_RATE_PER_SECOND", "inf"},
      {"RATE_LIMIT_PER_MINUTE", "0"},
      {"RATE_LIMIT_AUTH_PER_MINUTE", "1000001"},
      {"LOGIN_FAILURES_PER_ACCOUNT", "0"},
      {"LOGIN_FAILURE_WINDOW_MINUTES", "1441"},
      {"MAX_TOKENS_PER_USER", "0"},
      {"LOG_LEVEL", "verbose"},
      {"LOG_FORMAT", "xml"},
      {"DB_POOL_SIZE", "65"},
      {"MAX_CONNECTIONS", "0"},
      {"MAX_CONNECTIONS", "1000001"},
      {"SHUTDOWN_GRACE_MS", "60001"},
      {"ARGON2_MEMORY_KIB", "4"},
      {"ARGON2_ITERATIONS", "0"},
      {"ARGON2_PARALLELISM", "65"},
      {"SESSION_TOKEN_TTL_MS", "999"},
      {"NODE_ROLES", "web"},
      {"NODE_ROLES", "api,"},
      {"NODE_ROLES", "api;dispatch"},
  }));
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment[variable] = value;
  CAPTURE(variable, value);

  const auto error = load_error(sources);
  CHECK(error.variable == variable);
  const auto line = to_string(error);
  CHECK(line.find(variable) != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
  // Nothing is written before the whole configuration is known to be good.
  CHECK_FALSE(std::filesystem::exists(dir / "var"));
}

TEST_CASE("the error line says what the variable must be", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["HTTP_PORT"] = "70000";
  CHECK(to_string(load_error(sources)) ==
        "configuration error: HTTP_PORT: must be an integer from 0 to 65535");
}

TEST_CASE("a backoff ceiling below the base backoff is rejected", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["DISPATCH_BACKOFF_BASE_MS"] = "5000";
  sources.environment["DISPATCH_BACKOFF_MAX_MS"] = "4999";
  const auto error = load_error(sources);
  CHECK(error.variable == "DISPATCH_BACKOFF_MAX_MS");
  CHECK(error.message.find("DISPATCH_BACKOFF_BASE_MS") != std::string::npos);
}

TEST_CASE("a claim lead of half the lease or more is rejected", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["DISPATCH_LEASE_MS"] = "4000";
  sources.environment["DISPATCH_LEAD_MS"] = "1999";
  CHECK(load_ok(sources).config.dispatch_lead_ms == 1999);
  sources.environment["DISPATCH_LEAD_MS"] = "2000";
  const auto error = load_error(sources);
  CHECK(error.variable == "DISPATCH_LEAD_MS");
  CHECK(error.message.find("DISPATCH_LEASE_MS") != std::string::npos);
  sources.environment["DISPATCH_LEAD_MS"] = "10001";
  CHECK(load_error(sources).variable == "DISPATCH_LEAD_MS");
}

TEST_CASE("argon2 memory below 8 KiB per lane is rejected", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["ARGON2_MEMORY_KIB"] = "31";
  sources.environment["ARGON2_PARALLELISM"] = "4";
  CHECK(load_error(sources).variable == "ARGON2_MEMORY_KIB");
}

TEST_CASE("an OAuth client id without its secret is rejected", "[config]") {
  const auto provider = GENERATE(as<std::string>{}, "GOOGLE", "GITHUB");
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment[provider + "_CLIENT_ID"] = "client-id";
  CHECK(load_error(sources).variable == provider + "_CLIENT_SECRET");
}

TEST_CASE("every documented DATABASE_URL and REDIS_URL form is accepted", "[config]") {
  const auto [variable, value] = GENERATE(table<std::string, std::string>({
      {"DATABASE_URL", "sqlite://data/app.db"},
      {"DATABASE_URL", "sqlite:///srv/schedulerd/app.db"},
      {"DATABASE_URL", "sqlite::memory:"},
      {"DATABASE_URL", "postgresql://user:pass@127.0.0.1:5432/app"},
      {"DATABASE_URL", "postgres://localhost/app"},
      {"REDIS_URL", "redis://127.0.0.1:6379"},
      {"REDIS_URL", "redis://cache.internal:6379/3"},
      {"REDIS_URL", "redis://[::1]:6379/0"},
  }));
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment[variable] = value;
  CAPTURE(variable, value);
  const auto c = load_ok(sources).config;
  CHECK((variable == "DATABASE_URL" ? c.database_url : c.redis_url) == value);
}

TEST_CASE("a missing --config file is an error", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.config_file = dir / "missing.conf";
  const auto error = load_error(sources);
  CHECK(error.variable == "--config");
  CHECK(to_string(error).find("missing.conf") != std::string::npos);
}

TEST_CASE("a malformed line in a settings file is reported as file:line", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  SECTION(".env") {
    const auto path = dir.write(".env", "# settings\nHTTP_PORT=9000\nthis is not a setting\n");
    CHECK(load_error(sources).variable == path + ":3");
  }
  SECTION("--config FILE") {
    sources.config_file = dir.write("bad.conf", "LOG_LEVEL=\"debug\n");
    CHECK(load_error(sources).variable == sources.config_file + ":1");
  }
}

TEST_CASE("values from a settings file are validated like the environment", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  (void)dir.write(".env", "HTTP_PORT=99999\n");
  CHECK(load_error(sources).variable == "HTTP_PORT");
}

TEST_CASE("NODE_ROLES picks what the node does, both by default", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  const auto defaults = load_ok(sources).config.roles;
  CHECK(defaults.api);
  CHECK(defaults.dispatch);
  const auto [value, api, dispatch] = GENERATE(table<std::string, bool, bool>({
      {"api", true, false},
      {"dispatch", false, true},
      {" dispatch , api ", true, true},
      {"api,api", true, false},
  }));
  CAPTURE(value);
  sources.environment["NODE_ROLES"] = value;
  const auto roles = load_ok(sources).config.roles;
  CHECK(roles.api == api);
  CHECK(roles.dispatch == dispatch);
}
