#pragma once

#include "config/node_roles.hpp"
#include "domain/address_range.hpp"
#include "domain/passwords.hpp"
#include "log/logger.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace schedulerd::config {

/// The endpoints and client credentials of one OAuth login provider (Google or GitHub).
struct oauth_provider {
  std::string client_id;
  std::string client_secret;
  std::string authorize_url;
  std::string token_url;
  /// Google: the userinfo URL; GitHub: the API base URL (`/user`, `/user/emails` below it).
  std::string api_url;

  /// Whether the provider is enabled (it is when a client id is configured).
  [[nodiscard]] bool enabled() const noexcept { return !client_id.empty(); }
};

/// Every setting of the service, loaded and validated once at start-up, then passed by value.
struct service_config {
  std::string http_host = "127.0.0.1";
  std::uint16_t http_port = 8080;
  /// MAX_CONNECTIONS: HTTP connections served at once; more clients wait until one closes.
  std::size_t max_connections = 1024;
  std::string database_url = "sqlite://var/schedulerd.db";
  /// Empty when REDIS_URL is unset: rate limits and caches then stay in process.
  std::string redis_url;
  /// The 32 raw bytes of APP_KEY that encrypt provider credentials.
  std::string app_key;
  /// Raw 32-byte keys from APP_PREVIOUS_KEYS, still accepted for decryption during rotation.
  std::vector<std::string> previous_app_keys;
  std::string huggy_api_base_url = "https://api.huggy.app/v3";
  std::string huggy_auth_base_url = "https://auth.huggy.app";
  oauth_provider google{"", "", "https://accounts.google.com/o/oauth2/v2/auth",
                        "https://oauth2.googleapis.com/token",
                        "https://openidconnect.googleapis.com/v1/userinfo"};
  oauth_provider github{"", "", "https://github.com/login/oauth/authorize",
                        "https://github.com/login/oauth/access_token", "https://api.github.com"};
  /// Base of the OAuth callback URLs; defaults to http://HTTP_HOST:HTTP_PORT.
  std::string public_base_url;
  std::vector<std::string> cors_allowed_origins;
  /// TRUSTED_PROXIES: reverse proxies whose X-Forwarded-For header names the client; empty means
  /// the header is ignored and every connection's own address is the client's.
  std::vector<domain::address_range> trusted_proxies;
  /// Lower-cased emails of the users allowed into /admin.
  std::vector<std::string> admin_emails;
  int dispatch_max_attempts = 5;
  std::int64_t dispatch_backoff_base_ms = 1000;
  std::int64_t dispatch_backoff_max_ms = 300000;
  /// DISPATCH_LEASE_MS: how long a node's claim on a message lasts; a node that dies holds its
  /// claims this long before another node (or its own restart) takes them over.
  std::int64_t dispatch_lease_ms = 120000;
  /// DISPATCH_LEAD_MS: how long before its due time a message is claimed and handed to its
  /// connector, which sends it when due; from then on it can no longer be edited or cancelled.
  std::int64_t dispatch_lead_ms = 2000;
  /// DISPATCH_MAX_CLAIMED: claims a node holds at once (handed to its connections, outcomes not
  /// stored yet); it claims more as they settle, so several nodes share a large batch.
  std::int64_t dispatch_max_claimed = 20000;
  int connector_max_in_flight = 8;
  double connector_rate_per_second = 20;
  int rate_limit_per_minute = 600;
  int rate_limit_auth_per_minute = 10;
  /// LOGIN_FAILURES_PER_ACCOUNT: failed password logins one email may see per window, from any
  /// address, before every login to it answers 429 until the window ends.
  int login_failures_per_account = 20;
  /// LOGIN_FAILURE_WINDOW_MINUTES: the length of that window.
  int login_failure_window_minutes = 15;
  /// MAX_TOKENS_PER_USER: live personal API tokens a user may hold (and live sessions, the
  /// oldest of which a new login ends).
  int max_tokens_per_user = 100;
  log::level log_level = log::level::info;
  log::format log_format = log::format::json;
  /// DB_POOL_SIZE: connections (and worker actors) of the database pool.
  int db_pool_size = 4;
  /// SHUTDOWN_GRACE_MS: how long in-flight requests may run after SIGTERM.
  std::int64_t shutdown_grace_ms = 5000;
  /// ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM: password hashing cost.
  domain::argon2_params argon2;
  /// SESSION_TOKEN_TTL_MS: lifetime of the tokens that register, login and OAuth hand out.
  std::int64_t session_token_ttl_ms = std::int64_t{30} * 24 * 60 * 60 * 1000;
  /// Where the embedded store, the generated APP_KEY and other local state live.
  std::string var_dir = "var";
  /// NODE_ROLES (or `serve --roles`): what this node does; both by default.
  node_roles roles;
};

}  // namespace schedulerd::config
