#include "tests/support/service_harness.hpp"

#include "actors/blocking_pool.hpp"
#include "actors/db_pool.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/session_registry.hpp"

#include <caf/all.hpp>

namespace schedulerd::testing {

service_harness::service_harness(const test_database& database, const std::string& redis_url) {
  register_errc_category(config_);
  system_ = std::make_unique<caf::actor_system>(config_);
  auto logger = std::make_shared<log::logger>(log::level::error, log::format::json);
  context_.db_pool =
      actors::spawn_db_pool(*system_, actors::db_pool_settings{database.url(), 2}, logger);
  context_.blocking = actors::spawn_blocking_pool(*system_, 2, logger);
  context_.outbound = actors::spawn_blocking_pool(*system_, 2, logger);
  context_.sessions =
      actors::spawn_session_registry(*system_, context_.db_pool, std::chrono::minutes{1});
  context_.now = [clock = now_ms_] { return clock->load(); };
  context_.limiter = actors::spawn_rate_limiter(*system_, redis_url, logger);
  context_.logger = logger;
  // The lowest cost argon2 accepts: these tests are about the use cases, not the hash.
  context_.argon2 = domain::argon2_params{1024, 1, 1};
}

service_harness::~service_harness() {
  for (const auto& actor : tracked_) {
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  }
  caf::anon_send_exit(context_.limiter, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(context_.sessions, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(context_.outbound, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(context_.blocking, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(context_.db_pool, caf::exit_reason::user_shutdown);
  // A detached actor's thread ends only when its last handle is gone.
  tracked_.clear();
  context_ = services::service_context{};
  system_.reset();
}

}  // namespace schedulerd::testing
