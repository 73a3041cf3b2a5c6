#include "app/service.hpp"

#include "actors/authenticator.hpp"
#include "actors/blocking_pool.hpp"
#include "actors/db_pool.hpp"
#include "actors/errc.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/redis_probe.hpp"
#include "actors/session_registry.hpp"
#include "http/edge.hpp"
#include "http/routes/auth.hpp"
#include "http/routes/health.hpp"
#include "http/routes/oauth_login.hpp"
#include "http/routes/tokens.hpp"
#include "http/server.hpp"
#include "storage/migrator.hpp"

#include <caf/all.hpp>

#include <stdexcept>
#include <vector>

namespace schedulerd::app {

namespace {

constexpr int blocking_workers = 2;
constexpr std::chrono::minutes session_idle_timeout{10};

caf::actor_system_config make_caf_config() {
  caf::actor_system_config config;
  register_errc_category(config);
  return config;
}

}  // namespace

void apply_migrations(const config::service_config& settings, log::logger& logger) {
  try {
    auto db = storage::open_connection(settings.database_url);
    auto applied = storage::migrate(*db);
    logger.info("migrations_applied",
                {{"count", static_cast<std::int64_t>(applied.size())},
                 {"schema_version", std::int64_t{storage::schema_version(*db)}}});
  } catch (const std::exception& ex) {
    throw std::runtime_error(std::string{"the database cannot be used: "} + ex.what());
  }
}

struct service::impl {
  // Declared before the actor system so they are destroyed after it: the system's destructor
  // waits for the last bridge actors, which may still answer through the edge and RESTinio.
  std::unique_ptr<http::edge> pipeline;
  std::unique_ptr<http::server> server;
  caf::actor_system_config caf_settings = make_caf_config();
  caf::actor_system system{caf_settings};
  std::vector<caf::actor> started;
  std::string host;
  bool stopped = false;

  template <class Handle>
  Handle keep(Handle handle) {
    started.push_back(caf::actor_cast<caf::actor>(handle));
    return handle;
  }

  void stop_actors() {
    for (auto it = started.rbegin(); it != started.rend(); ++it) {
      caf::anon_send_exit(*it, caf::exit_reason::user_shutdown);
    }
    started.clear();
  }

  http::router build_routes(const config::service_config& settings, const caf::actor& db_pool,
                            const service_options& options) {
    auto blocking = keep(actors::spawn_blocking_pool(system, blocking_workers));
    auto sessions = keep(actors::spawn_session_registry(system, db_pool, session_idle_timeout));
    caf::actor redis_probe;
    if (!settings.redis_url.empty()) {
      redis_probe = keep(actors::spawn_redis_probe(system, settings.redis_url));
    }
    http::accounts_context accounts{
        db_pool,     blocking,        sessions,
        options.now, settings.argon2, std::chrono::milliseconds{settings.session_token_ttl_ms}};
    http::router routes;
    http::add_health_routes(routes, keep(http::spawn_health_handler(
                                        system, http::health_probes{db_pool, redis_probe, {}})));
    http::add_auth_routes(routes, keep(http::spawn_auth_handler(system, accounts)));
    http::add_tokens_routes(routes, keep(http::spawn_tokens_handler(system, accounts)));
    http::add_oauth_login_routes(routes,
                                 keep(http::spawn_oauth_login_handler(
                                     system, accounts,
                                     http::oauth_login_settings{settings.google, settings.github,
                                                                settings.public_base_url})));
    return routes;
  }
};

service::service(const config::service_config& settings, const std::shared_ptr<log::logger>& logger,
                 const service_options& options)
    : impl_(std::make_unique<impl>()) {
  apply_migrations(settings, *logger);
  auto& self = *impl_;
  self.host = settings.http_host;
  auto db_pool = self.keep(actors::spawn_db_pool(
      self.system, actors::db_pool_settings{settings.database_url, settings.db_pool_size}, logger));
  http::edge_settings edge_settings;
  edge_settings.cors_allowed_origins = settings.cors_allowed_origins;
  edge_settings.rate_limit_per_minute = settings.rate_limit_per_minute;
  edge_settings.rate_limit_auth_per_minute = settings.rate_limit_auth_per_minute;
  edge_settings.authenticator = self.keep(
      actors::spawn_authenticator(self.system, db_pool, options.now, options.token_flush_every));
  edge_settings.rate_limiter =
      self.keep(actors::spawn_rate_limiter(self.system, settings.redis_url, logger));
  auto routes = self.build_routes(settings, db_pool, options);
  self.pipeline = std::make_unique<http::edge>(self.system, std::move(routes),
                                               std::move(edge_settings), logger);
  try {
    self.server = std::make_unique<http::server>(
        http::server_settings{settings.http_host, settings.http_port}, *self.pipeline);
  } catch (const std::exception& ex) {
    self.stop_actors();
    throw std::runtime_error("cannot listen on " + settings.http_host + ":" +
                             std::to_string(settings.http_port) + ": " + ex.what());
  }
}

service::~service() {
  stop(std::chrono::milliseconds{0});
}

std::uint16_t service::port() const noexcept {
  return impl_->server ? impl_->server->port() : 0;
}

const http::router& service::routes() const noexcept {
  return impl_->pipeline->routes();
}

std::string service::base_url() const {
  return "http://" + impl_->host + ":" + std::to_string(port());
}

bool service::stop(std::chrono::milliseconds grace) {
  if (impl_->stopped) {
    return true;
  }
  impl_->stopped = true;
  bool drained = impl_->pipeline->drain(grace);
  impl_->server->stop();
  impl_->pipeline->release_actors();
  impl_->stop_actors();
  return drained;
}

}  // namespace schedulerd::app
