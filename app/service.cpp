#include "app/service.hpp"

#include "actors/authenticator.hpp"
#include "actors/blocking_pool.hpp"
#include "actors/connector_registry.hpp"
#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "actors/metrics_collector.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/redis_probe.hpp"
#include "actors/scheduler.hpp"
#include "actors/send_pacer.hpp"
#include "actors/session_registry.hpp"
#include "actors/supervisor.hpp"
#include "domain/request_timeouts.hpp"
#include "http/edge.hpp"
#include "http/routes/admin.hpp"
#include "http/routes/auth.hpp"
#include "http/routes/console.hpp"
#include "http/routes/health.hpp"
#include "http/routes/metrics.hpp"
#include "http/routes/oauth_login.hpp"
#include "http/routes/providers.hpp"
#include "http/routes/scheduled_messages.hpp"
#include "http/routes/tokens.hpp"
#include "http/server.hpp"
#include "providers/registry.hpp"
#include "services/accounts.hpp"
#include "services/admin.hpp"
#include "services/messages.hpp"
#include "services/oauth_sign_in.hpp"
#include "services/providers.hpp"
#include "services/tokens.hpp"
#include "storage/migrator.hpp"

#include <caf/all.hpp>

#include <unistd.h>

#include <array>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <vector>

namespace schedulerd::app {

namespace {

// argon2 only: outbound calls, which may each wait seconds for a provider, have their own pool,
// so stuck providers cannot hold back a login's hashing.
constexpr int blocking_workers = 2;
// Outbound HTTP calls (OAuth, contact imports, tests) beside the sends, which may fill
// CONNECTOR_MAX_IN_FLIGHT workers each; they mostly wait, so more of them than cores is fine.
constexpr int outbound_workers = 8;
constexpr std::chrono::minutes session_idle_timeout{10};
// Each supervisor stops its children one by one, each within its own stop timeout.
constexpr std::chrono::seconds supervisor_stop_timeout{30};
// Each metrics source (directory, scheduler, database) gets this long per scrape; the handler
// waits a little longer for the collector, which answers with whatever came in time.
constexpr std::chrono::milliseconds metrics_source_timeout{2000};
constexpr std::chrono::milliseconds metrics_handler_timeout{5000};

caf::actor_system_config make_caf_config() {
  caf::actor_system_config config;
  register_errc_category(config);
  // An idle worker sleeps on its condition variable after CAF's short spin instead of polling
  // 500 more times 50 µs apart: those wake-ups were the largest item of a burst's profile on two
  // cores (docs/DECISIONS.md). Work handed over from another thread still wakes it at once.
  config.set("work-stealing.moderate-poll-attempts", std::size_t{0});
  return config;
}

// The owner of the top-level supervisors: a supervisor that gives up ends with an error, which
// this actor logs and reports once through `on_gave_up` (nobody above it can restart the service
// in-process, so the process has to end and be started anew).
caf::behavior owner_watch(caf::event_based_actor* self, const std::shared_ptr<log::logger>& logger,
                          const std::shared_ptr<std::atomic<bool>>& gave_up,
                          const std::function<void()>& on_gave_up) {
  self->set_down_handler([self, logger, gave_up, on_gave_up](caf::down_msg& down) {
    if (!down.reason || down.reason == caf::exit_reason::user_shutdown) {
      return;
    }
    logger->error("supervisor_escalated", {{"reason", self->system().render(down.reason)}});
    if (!gave_up->exchange(true) && on_gave_up) {
      on_gave_up();
    }
  });
  return {[self](start_atom, const caf::actor& supervisor) { self->monitor(supervisor); }};
}

// The lease owner name of this process: host, process id and start time, so a restarted node
// never mistakes its predecessor's claims for its own.
std::string node_identity(const domain::clock_fn& now) {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) {
    host[0] = '\0';
  }
  std::string id{host.data()};
  id += ':';
  id += std::to_string(getpid());
  id += ':';
  id += std::to_string(now());
  return id;
}

template <class Handle>
caf::actor untyped(Handle handle) {
  return caf::actor_cast<caf::actor>(std::move(handle));
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
  std::shared_ptr<log::logger> logger;
  caf::actor directory = actors::spawn_directory(system);
  caf::actor watch;
  /// Top-level supervisors in start order.
  std::vector<caf::actor> supervisors;
  std::string host;
  /// Whether this node serves the public API (role `api`), not only health and metrics.
  bool serves_api = true;
  actors::scheduler_actor scheduler;
  /// The instruments the edge updates and the metrics collector reads.
  std::shared_ptr<metrics::registry> instruments = std::make_shared<metrics::registry>();
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
  bool stopped = false;
  /// Set when a top-level supervisor gave up.
  std::shared_ptr<std::atomic<bool>> gave_up = std::make_shared<std::atomic<bool>>(false);

  impl(std::shared_ptr<log::logger> log, const std::function<void()>& on_gave_up)
      : logger(std::move(log)) {
    watch = system.spawn(owner_watch, logger, gave_up, on_gave_up);
    actors::register_actor(directory, {"directory", "directory", 0, directory, true});
    actors::register_actor(directory, {"owner", "watcher", 0, watch, false});
  }

  // Also runs when the constructor throws: the system's destructor would wait for live actors.
  ~impl() { stop_actors(); }

  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  impl(impl&&) = delete;
  impl& operator=(impl&&) = delete;

  caf::actor supervise(const std::string& name) {
    actors::supervisor_settings settings;
    settings.name = name;
    settings.directory = directory;
    settings.logger = logger;
    auto supervisor = actors::spawn_supervisor(system, std::move(settings));
    caf::anon_send(watch, start_atom::value, supervisor);
    supervisors.push_back(supervisor);
    return supervisor;
  }

  // Starts a child and returns its stable handle, typed as its clients expect.
  template <class Handle = caf::actor>
  Handle start(const caf::actor& supervisor, actors::child_spec spec) {
    auto name = spec.name;
    auto front = actors::start_child(system, supervisor, std::move(spec));
    if (!front) {
      throw std::runtime_error("cannot start " + name + ": " + system.render(front.error()));
    }
    return caf::actor_cast<Handle>(*front);
  }

  // Stops claiming, gives back the claims not yet started and lets the sends in flight finish
  // and be stored, before anything stops.
  void drain_engine() {
    if (!scheduler) {
      return;
    }
    caf::scoped_actor waiter{system};
    waiter->request(scheduler, supervisor_stop_timeout, drain_atom::value)
        .receive([](bool) {},
                 [this](caf::error& err) {
                   logger->warn("engine_drain_incomplete", {{"reason", system.render(err)}});
                 });
  }

  // Supervisors stop in reverse order; each stops its own children in reverse order first.
  void stop_actors() {
    for (auto it = supervisors.rbegin(); it != supervisors.rend(); ++it) {
      actors::stop_and_wait(system, *it, supervisor_stop_timeout);
    }
    supervisors.clear();
    caf::anon_send_exit(watch, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
  }

  http::edge_settings start_core(const config::service_config& settings,
                                 const service_options& options, services::service_context& context,
                                 caf::actor& redis_probe);

  /// The use-case actors the route handlers ask.
  struct use_cases {
    services::accounts_actor accounts;
    services::tokens_actor tokens;
    services::oauth_sign_in_actor oauth_sign_in;
    services::providers_actor providers;
    services::messages_actor messages;
    services::admin_actor admin;
    actors::metrics_actor metrics;
  };

  services::providers_settings start_engine(const config::service_config& settings,
                                            const service_options& options,
                                            const services::service_context& core);

  use_cases start_services(const config::service_config& settings,
                           const services::service_context& core,
                           const services::providers_settings& providers);

  http::router start_handlers(const use_cases& cases, const caf::actor& db_pool,
                              const caf::actor& redis_probe);
};

http::edge_settings service::impl::start_core(const config::service_config& settings,
                                              const service_options& options,
                                              services::service_context& context,
                                              caf::actor& redis_probe) {
  auto core = supervise("core");
  actors::db_pool_settings pool{settings.database_url, settings.db_pool_size};
  auto db_pool =
      start(core, {"db_pool", "pool",
                   [pool, log = logger, dir = directory](caf::actor_system& sys) {
                     return actors::spawn_db_pool(sys, pool, log, {dir, "core.db_pool", {}});
                   },
                   true});
  auto blocking = start(core, {"blocking_pool", "pool",
                               [dir = directory, log = logger](caf::actor_system& sys) {
                                 return actors::spawn_blocking_pool(
                                     sys, blocking_workers, log, {dir, "core.blocking_pool", {}});
                               },
                               true});
  auto outbound = start(
      core, {"outbound_pool", "pool",
             [dir = directory, log = logger,
              size = outbound_workers + settings.connector_max_in_flight](caf::actor_system& sys) {
               return actors::spawn_blocking_pool(sys, size, log, {dir, "core.outbound_pool", {}});
             },
             true});
  auto sessions = start<actors::session_registry_actor>(
      core, {"sessions", "service",
             [db_pool](caf::actor_system& sys) {
               return untyped(actors::spawn_session_registry(sys, db_pool, session_idle_timeout));
             },
             true});
  context.db_pool = db_pool;
  context.blocking = blocking;
  context.outbound = outbound;
  context.sessions = sessions;
  context.now = options.now;
  context.argon2 = settings.argon2;
  context.session_token_ttl = std::chrono::milliseconds{settings.session_token_ttl_ms};
  context.limits = {settings.login_failures_per_account,
                    std::chrono::minutes{settings.login_failure_window_minutes},
                    settings.max_tokens_per_user};
  context.logger = logger;
  http::edge_settings edge_settings;
  edge_settings.cors_allowed_origins = settings.cors_allowed_origins;
  edge_settings.trusted_proxies = settings.trusted_proxies;
  edge_settings.rate_limit_per_minute = settings.rate_limit_per_minute;
  edge_settings.rate_limit_auth_per_minute = settings.rate_limit_auth_per_minute;
  edge_settings.metrics = std::make_shared<http::request_metrics>(instruments);
  edge_settings.authenticator = start<actors::authenticator_actor>(
      core, {"authenticator", "service",
             [db_pool, now = options.now, every = options.token_flush_every,
              log = logger](caf::actor_system& sys) {
               return untyped(actors::spawn_authenticator(sys, db_pool, now, every, log));
             },
             true});
  start(core, {"housekeeper", "service",
               [db_pool, now = options.now, every = options.housekeeping,
                log = logger](caf::actor_system& sys) {
                 return actors::spawn_housekeeper(sys, db_pool, now, every, log);
               },
               true});
  context.limiter = start<actors::budget_actor>(
      core, {"rate_limiter", "service",
             [url = settings.redis_url, log = logger](caf::actor_system& sys) {
               return untyped(actors::spawn_rate_limiter(sys, url, log));
             },
             true});
  edge_settings.rate_limiter = context.limiter;
  if (!settings.redis_url.empty()) {
    redis_probe = start(core, {"redis_probe", "probe",
                               [url = settings.redis_url](caf::actor_system& sys) {
                                 return actors::spawn_redis_probe(sys, url);
                               },
                               true});
  }
  return edge_settings;
}

services::providers_settings service::impl::start_engine(const config::service_config& settings,
                                                         const service_options& options,
                                                         const services::service_context& core) {
  auto engine = supervise("engine");
  actors::connector_settings connectors;
  connectors.db_pool = core.db_pool;
  connectors.outbound = core.outbound;
  connectors.types = std::make_shared<const providers::registry>(
      providers::builtin_registry({settings.huggy_api_base_url, settings.huggy_auth_base_url,
                                   domain::outbound_call_timeout, options.now}));
  connectors.cipher = std::make_shared<const domain::credential_cipher>(settings.app_key,
                                                                        settings.previous_app_keys);
  connectors.now = options.now;
  connectors.rate_per_second = settings.connector_rate_per_second;
  if (!settings.redis_url.empty() && settings.roles.dispatch) {
    connectors.pacer = start<actors::send_pacer_actor>(
        engine, {"send_pacer", "service",
                 [url = settings.redis_url, rate = settings.connector_rate_per_second,
                  log = logger](caf::actor_system& sys) {
                   return untyped(actors::spawn_send_pacer(sys, url, rate, log));
                 },
                 true});
  }
  connectors.idle_timeout = options.connector_idle_timeout;
  connectors.sync_retry_delay = options.sync_retry_delay;
  connectors.node_id = node_identity(options.now);
  connectors.retry = {settings.dispatch_max_attempts, settings.dispatch_backoff_base_ms,
                      settings.dispatch_backoff_max_ms};
  connectors.max_in_flight = settings.connector_max_in_flight;
  // No send starts in the last part of its claim's lease: it must end before the lease does.
  const std::chrono::milliseconds lease{settings.dispatch_lease_ms};
  connectors.lease_margin = std::min<std::chrono::milliseconds>(
      lease / 2, domain::outbound_work_timeout + std::chrono::seconds{5});
  // A live node renews its claims for up to four leases; one a crashed connector lost runs out.
  auto renewals = std::make_shared<actors::lease_renewals>(4 * lease);
  connectors.renewals = renewals;
  connectors.metrics = std::make_shared<actors::dispatch_metrics>(instruments);
  connectors.logger = logger;
  services::providers_settings providers{
      connectors.types, connectors.cipher, {}, settings.public_base_url};
  providers.connectors = start<actors::connector_registry_actor>(
      engine, {"connectors", "service",
               [connectors, dir = directory](caf::actor_system& sys) {
                 return untyped(
                     actors::spawn_connector_registry(sys, connectors, dir, "engine.connectors"));
               },
               true});
  if (!settings.roles.dispatch) {
    // An api-only node claims nothing: the dispatch nodes' sweeps find what it stores when due.
    return providers;
  }
  actors::scheduler_settings timing;
  timing.db_pool = core.db_pool;
  timing.connectors = providers.connectors;
  timing.now = options.now;
  timing.node_id = connectors.node_id;
  timing.lease = lease;
  timing.renewals = renewals;
  // A dead node's claims come back within half a lease of expiring, however short the lease.
  timing.recover_every = std::min<std::chrono::milliseconds>(timing.recover_every, lease / 2);
  timing.lead = std::chrono::milliseconds{settings.dispatch_lead_ms};
  timing.max_claimed = settings.dispatch_max_claimed;
  timing.logger = logger;
  scheduler = start<actors::scheduler_actor>(
      engine,
      {"scheduler", "service",
       [timing](caf::actor_system& sys) { return untyped(actors::spawn_scheduler(sys, timing)); },
       true});
  return providers;
}

service::impl::use_cases service::impl::start_services(
    const config::service_config& settings, const services::service_context& core,
    const services::providers_settings& providers) {
  auto supervisor = supervise("services");
  use_cases started;
  started.accounts = start<services::accounts_actor>(
      supervisor,
      {"accounts", "service",
       [core](caf::actor_system& sys) { return untyped(services::spawn_accounts(sys, core)); },
       true});
  started.tokens = start<services::tokens_actor>(
      supervisor,
      {"tokens", "service",
       [core](caf::actor_system& sys) { return untyped(services::spawn_tokens(sys, core)); },
       true});
  services::oauth_sign_in_settings oauth{settings.google, settings.github,
                                         settings.public_base_url};
  started.oauth_sign_in = start<services::oauth_sign_in_actor>(
      supervisor, {"oauth_sign_in", "service",
                   [core, oauth](caf::actor_system& sys) {
                     return untyped(services::spawn_oauth_sign_in(sys, core, oauth));
                   },
                   true});
  started.providers = start<services::providers_actor>(
      supervisor, {"providers", "service",
                   [core, providers](caf::actor_system& sys) {
                     return untyped(services::spawn_providers(sys, core, providers));
                   },
                   true});
  services::messages_settings messages;
  messages.scheduler = scheduler;
  started.messages = start<services::messages_actor>(
      supervisor, {"messages", "service",
                   [core, messages](caf::actor_system& sys) {
                     return untyped(services::spawn_messages(sys, core, messages));
                   },
                   true});
  actors::metrics_sources sources;
  sources.instruments = instruments;
  sources.directory = directory;
  sources.scheduler = scheduler;
  sources.connectors = providers.connectors;
  sources.db_pool = core.db_pool;
  sources.timeout = metrics_source_timeout;
  sources.now = core.now;
  sources.started = started_at;
  started.metrics = start<actors::metrics_actor>(
      supervisor, {"metrics", "service",
                   [sources](caf::actor_system& sys) {
                     return untyped(actors::spawn_metrics_collector(sys, sources));
                   },
                   true});
  services::admin_settings admin{settings.admin_emails, scheduler, providers.connectors,
                                 started.metrics};
  started.admin = start<services::admin_actor>(
      supervisor, {"admin", "service",
                   [core, admin](caf::actor_system& sys) {
                     return untyped(services::spawn_admin(sys, core, admin));
                   },
                   true});
  return started;
}

http::router service::impl::start_handlers(const use_cases& cases, const caf::actor& db_pool,
                                           const caf::actor& redis_probe) {
  auto handlers = supervise("http");
  auto handler = [&](const std::string& name, auto spawn) {
    return start<http::handler_actor>(
        handlers,
        {name, "handler", [spawn](caf::actor_system& sys) { return untyped(spawn(sys)); }, true});
  };
  http::router routes;
  http::add_health_routes(
      routes,
      handler("health",
              [probes = http::health_probes{db_pool, redis_probe, untyped(scheduler)}](
                  caf::actor_system& sys) { return http::spawn_health_handler(sys, probes); }));
  http::add_metrics_routes(
      routes, handler("metrics", [collector = cases.metrics](caf::actor_system& sys) {
        return http::spawn_metrics_handler(sys, collector, metrics_handler_timeout);
      }));
  if (!serves_api) {
    return routes;  // a dispatch-only node answers health checks and scrapes only
  }
  http::add_auth_routes(routes,
                        handler("auth", [accounts = cases.accounts](caf::actor_system& sys) {
                          return http::spawn_auth_handler(sys, accounts);
                        }));
  http::add_tokens_routes(routes,
                          handler("tokens", [tokens = cases.tokens](caf::actor_system& sys) {
                            return http::spawn_tokens_handler(sys, tokens);
                          }));
  http::add_oauth_login_routes(
      routes, handler("oauth_login", [sign_in = cases.oauth_sign_in](caf::actor_system& sys) {
        return http::spawn_oauth_login_handler(sys, sign_in);
      }));
  http::add_providers_routes(
      routes, handler("providers", [providers = cases.providers](caf::actor_system& sys) {
        return http::spawn_providers_handler(sys, providers);
      }));
  http::add_provider_actions_routes(
      routes, handler("provider_actions", [providers = cases.providers](caf::actor_system& sys) {
        return http::spawn_provider_actions_handler(sys, providers);
      }));
  http::add_scheduled_messages_routes(
      routes, handler("scheduled_messages", [messages = cases.messages](caf::actor_system& sys) {
        return http::spawn_scheduled_messages_handler(sys, messages);
      }));
  http::add_admin_routes(routes, handler("admin", [admin = cases.admin](caf::actor_system& sys) {
                           return http::spawn_admin_handler(sys, admin);
                         }));
  http::add_console_routes(routes, handler("console", [](caf::actor_system& sys) {
                             return http::spawn_console_handler(sys);
                           }));
  return routes;
}

service::service(const config::service_config& settings, const std::shared_ptr<log::logger>& logger,
                 const service_options& options)
    : impl_(std::make_unique<impl>(logger, options.on_gave_up)) {
  apply_migrations(settings, *logger);
  auto& self = *impl_;
  self.host = settings.http_host;
  self.serves_api = settings.roles.api;
  services::service_context core;
  caf::actor redis_probe;
  auto edge_settings = self.start_core(settings, options, core, redis_probe);
  auto providers = self.start_engine(settings, options, core);
  auto use_cases = self.start_services(settings, core, providers);
  auto routes = self.start_handlers(use_cases, core.db_pool, redis_probe);
  self.pipeline = std::make_unique<http::edge>(self.system, std::move(routes),
                                               std::move(edge_settings), logger);
  try {
    self.server = std::make_unique<http::server>(
        http::server_settings{settings.http_host, settings.http_port, settings.max_connections},
        *self.pipeline);
  } catch (const std::exception& ex) {
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

caf::actor service::directory() const {
  return impl_->directory;
}

caf::actor_system& service::actors() noexcept {
  return impl_->system;
}

bool service::gave_up() const noexcept {
  return impl_->gave_up->load();
}

bool service::stop(std::chrono::milliseconds grace) {
  if (impl_->stopped) {
    return true;
  }
  impl_->stopped = true;
  bool drained = impl_->pipeline->drain(grace);
  impl_->server->stop();
  impl_->pipeline->release_actors();
  impl_->drain_engine();
  impl_->stop_actors();
  return drained;
}

}  // namespace schedulerd::app
