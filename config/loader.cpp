#include "config/loader.hpp"

#include "config/app_key.hpp"
#include "config/dotenv.hpp"
#include "config/settings_reader.hpp"
#include "config/text_file.hpp"
#include "config/urls.hpp"
#include "domain/ascii_text.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace schedulerd::config {

namespace {

using settings = std::map<std::string, std::string>;

constexpr std::int64_t one_day_ms = 86'400'000;
constexpr std::int64_t ten_years_ms = 3650 * one_day_ms;

std::variant<settings, config_error> read_settings_file(const std::string& path) {
  const auto text = read_text_file(path);
  if (!text) return config_error{path, "cannot be read"};
  auto parsed = parse_dotenv(*text);
  if (const auto* error = std::get_if<dotenv_error>(&parsed)) {
    return config_error{path + ":" + std::to_string(error->line), error->message};
  }
  return std::get<dotenv_values>(std::move(parsed));
}

// An empty value counts as unset, so it never hides a value from a lower layer.
void overlay(settings& merged, const settings& layer) {
  for (const auto& [name, value] : layer) {
    if (!value.empty()) merged[name] = value;
  }
}

std::variant<settings, config_error> merge_sources(const config_sources& sources) {
  settings merged;
  std::error_code ignored;
  if (std::filesystem::exists(sources.dotenv_path, ignored)) {
    auto dotenv = read_settings_file(sources.dotenv_path);
    if (auto* error = std::get_if<config_error>(&dotenv)) return std::move(*error);
    overlay(merged, std::get<settings>(dotenv));
  }
  if (!sources.config_file.empty()) {
    if (!std::filesystem::exists(sources.config_file, ignored)) {
      return config_error{"--config", sources.config_file + " does not exist"};
    }
    auto file = read_settings_file(sources.config_file);
    if (auto* error = std::get_if<config_error>(&file)) return std::move(*error);
    overlay(merged, std::get<settings>(file));
  }
  overlay(merged, sources.environment);
  return merged;
}

bool is_listen_host(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' ||
           c == ':';
  });
}

bool is_email(std::string_view email) {
  const auto at = email.find('@');
  return at != 0 && at != std::string_view::npos && at + 1 < email.size() &&
         email.find_first_of(" \t,") == std::string_view::npos;
}

bool is_redis_url(std::string_view text) {
  return parse_redis_url(text).has_value();
}

bool is_app_key(std::string_view text) {
  return decode_app_key(text).has_value();
}

void read_provider(settings_reader& in, const std::string& prefix, const std::string& api_variable,
                   oauth_provider& out) {
  in.text(prefix + "_CLIENT_ID", out.client_id);
  in.text(prefix + "_CLIENT_SECRET", out.client_secret);
  in.url(prefix + "_AUTHORIZE_URL", out.authorize_url);
  in.url(prefix + "_TOKEN_URL", out.token_url);
  in.url(prefix + "_" + api_variable, out.api_url);
  if (out.enabled() && out.client_secret.empty()) {
    in.fail(prefix + "_CLIENT_SECRET", "must be set when " + prefix + "_CLIENT_ID is");
  }
}

// TRUSTED_PROXIES: each item (an address, a CIDR block, `loopback` or `private`) adds its ranges.
void read_trusted_proxies(settings_reader& in, std::vector<domain::address_range>& out) {
  std::vector<std::string> items;
  in.list("TRUSTED_PROXIES", domain::is_address_ranges,
          "must be a comma list of addresses, CIDR blocks (10.0.0.0/8, fd00::/8), loopback or "
          "private",
          items);
  for (const auto& item : items) {
    if (auto ranges = domain::parse_address_ranges(item)) {
      out.insert(out.end(), ranges->begin(), ranges->end());
    }
  }
}

void read_settings(settings_reader& in, service_config& c) {
  in.checked("HTTP_HOST", is_listen_host, "must be a host name or an IP address", c.http_host);
  in.integer("HTTP_PORT", 0, 65535, c.http_port);
  in.integer("MAX_CONNECTIONS", 1, 1'000'000, c.max_connections);
  in.checked("APP_KEY", is_app_key, "must be base64 of 32 bytes (try: openssl rand -base64 32)",
             c.app_key);
  in.list("APP_PREVIOUS_KEYS", is_app_key, "must be a comma list of base64 keys of 32 bytes each",
          c.previous_app_keys);
  in.checked("DATABASE_URL", is_database_url,
             "must be sqlite://PATH, sqlite::memory: or a postgresql:// URI", c.database_url);
  in.checked("REDIS_URL", is_redis_url, "must be redis://HOST:PORT or redis://HOST:PORT/DB",
             c.redis_url);
  in.url("HUGGY_API_BASE_URL", c.huggy_api_base_url);
  in.url("HUGGY_AUTH_BASE_URL", c.huggy_auth_base_url);
  read_provider(in, "GOOGLE", "USERINFO_URL", c.google);
  read_provider(in, "GITHUB", "API_URL", c.github);
  in.url("PUBLIC_BASE_URL", c.public_base_url);
  in.list("CORS_ALLOWED_ORIGINS", is_origin,
          "must be a comma list of origins like https://app.example.com or http://host:port",
          c.cors_allowed_origins);
  read_trusted_proxies(in, c.trusted_proxies);
  in.list("ADMIN_EMAILS", is_email, "must be a comma list of email addresses", c.admin_emails);
  for (auto& email : c.admin_emails) email = domain::ascii_lower(email);
  in.integer("DISPATCH_MAX_ATTEMPTS", 1, 100, c.dispatch_max_attempts);
  in.integer("DISPATCH_BACKOFF_BASE_MS", 1, one_day_ms, c.dispatch_backoff_base_ms);
  in.integer("DISPATCH_BACKOFF_MAX_MS", 1, one_day_ms, c.dispatch_backoff_max_ms);
  if (c.dispatch_backoff_max_ms < c.dispatch_backoff_base_ms) {
    in.fail("DISPATCH_BACKOFF_MAX_MS", "must be at least DISPATCH_BACKOFF_BASE_MS (" +
                                           std::to_string(c.dispatch_backoff_base_ms) + ")");
  }
  in.integer("DISPATCH_LEASE_MS", 1000, 3'600'000, c.dispatch_lease_ms);
  in.integer("DISPATCH_LEAD_MS", 0, 10'000, c.dispatch_lead_ms);
  if (c.dispatch_lead_ms * 2 >= c.dispatch_lease_ms) {
    in.fail("DISPATCH_LEAD_MS", "must be less than half of DISPATCH_LEASE_MS (" +
                                    std::to_string(c.dispatch_lease_ms) + ")");
  }
  in.integer("DISPATCH_MAX_CLAIMED", 1, 1'000'000, c.dispatch_max_claimed);
  in.integer("CONNECTOR_MAX_IN_FLIGHT", 1, 1000, c.connector_max_in_flight);
  in.positive_number("CONNECTOR_RATE_PER_SECOND", c.connector_rate_per_second);
  in.integer("RATE_LIMIT_PER_MINUTE", 1, 1'000'000, c.rate_limit_per_minute);
  in.integer("RATE_LIMIT_AUTH_PER_MINUTE", 1, 1'000'000, c.rate_limit_auth_per_minute);
  in.integer("LOGIN_FAILURES_PER_ACCOUNT", 1, 1'000'000, c.login_failures_per_account);
  in.integer("LOGIN_FAILURE_WINDOW_MINUTES", 1, std::int64_t{24} * 60,
             c.login_failure_window_minutes);
  in.integer("MAX_TOKENS_PER_USER", 1, 100'000, c.max_tokens_per_user);
  in.choice("LOG_LEVEL", log::parse_level, "must be debug, info, warn or error", c.log_level);
  in.choice("LOG_FORMAT", log::parse_format, "must be text or json", c.log_format);
  in.integer("DB_POOL_SIZE", 1, 64, c.db_pool_size);
  in.integer("SHUTDOWN_GRACE_MS", 0, 60'000, c.shutdown_grace_ms);
  in.integer("ARGON2_MEMORY_KIB", 8, 4'194'304, c.argon2.memory_kib);
  in.integer("ARGON2_ITERATIONS", 1, 100, c.argon2.iterations);
  in.integer("ARGON2_PARALLELISM", 1, 64, c.argon2.parallelism);
  // argon2 refuses less than 8 KiB per lane; better to say so now than at the first login.
  if (c.argon2.memory_kib < 8 * c.argon2.parallelism) {
    in.fail("ARGON2_MEMORY_KIB", "must be at least 8 times ARGON2_PARALLELISM");
  }
  in.integer("SESSION_TOKEN_TTL_MS", 1000, ten_years_ms, c.session_token_ttl_ms);
  in.text("VAR_DIR", c.var_dir);
  in.choice("NODE_ROLES", parse_node_roles, node_roles_expected, c.roles);
}

std::string default_public_base_url(const service_config& c) {
  // An IPv6 literal needs brackets inside a URL.
  const bool ipv6 = c.http_host.find(':') != std::string::npos;
  const auto host = ipv6 ? "[" + c.http_host + "]" : c.http_host;
  return "http://" + host + ":" + std::to_string(c.http_port);
}

// The keys were checked as base64 text while reading; the configuration holds their raw bytes.
// Without APP_KEY the key file takes its place, and may be created now.
std::optional<config_error> decode_app_keys(service_config& c, std::vector<std::string>& warnings) {
  for (auto& key : c.previous_app_keys) key = *decode_app_key(key);
  if (!c.app_key.empty()) {
    c.app_key = *decode_app_key(c.app_key);
    return std::nullopt;
  }
  auto file = load_or_generate_key_file(c.var_dir);
  if (auto* message = std::get_if<std::string>(&file)) return config_error{"APP_KEY", *message};
  auto& key_file = std::get<config::key_file>(file);
  c.app_key = std::move(key_file.key);
  if (key_file.generated) {
    warnings.push_back("APP_KEY is not set: generated one into " + key_file.path +
                       "; back it up, it decrypts provider credentials");
  }
  return std::nullopt;
}

}  // namespace

std::variant<loaded_config, config_error> load_config(const config_sources& sources) {
  auto merged = merge_sources(sources);
  if (auto* error = std::get_if<config_error>(&merged)) return std::move(*error);
  settings_reader in{std::get<settings>(std::move(merged))};

  loaded_config loaded;
  auto& c = loaded.config;
  c.log_format = sources.stderr_is_terminal ? log::format::text : log::format::json;
  read_settings(in, c);
  if (in.error()) return *in.error();
  if (c.public_base_url.empty()) c.public_base_url = default_public_base_url(c);
  // Last, so that a typo elsewhere never leaves a freshly generated key file behind.
  if (auto error = decode_app_keys(c, loaded.warnings)) return std::move(*error);
  return loaded;
}

std::string to_string(const config_error& error) {
  return "configuration error: " + error.variable + ": " + error.message;
}

}  // namespace schedulerd::config
