#include "actors/blocking_pool.hpp"

#include "actors/errc.hpp"

#include <pthread.h>
#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <string>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// The name of the thread that runs a unit of work on `pool`.
std::string worker_thread_name(caf::actor_system& system, const caf::actor& pool) {
  caf::scoped_actor self{system};
  std::string name;
  actors::run_blocking(
      self.ptr(), pool,
      []() -> caf::expected<std::string> {
        std::array<char, 16> buffer{};
        pthread_getname_np(pthread_self(), buffer.data(), buffer.size());
        return std::string{buffer.data()};
      },
      5s)
      .receive([&](std::string& found) { name = std::move(found); }, [](caf::error&) {});
  return name;
}

}  // namespace

TEST_CASE("a blocking pool's workers run on threads named after the pool",
          "[actors][blocking_pool]") {
  caf::actor_system_config config;
  register_errc_category(config);
  caf::actor_system system{config};
  auto logger = std::make_shared<log::logger>(log::level::error, log::format::json);

  auto outbound = actors::spawn_blocking_pool(system, 1, logger, {{}, "core.outbound_pool", {}});
  CHECK(worker_thread_name(system, outbound) == "outbound_pool");

  // Linux keeps 15 characters of a thread's name.
  auto longer =
      actors::spawn_blocking_pool(system, 1, logger, {{}, "core.a_pool_with_a_long_name", {}});
  CHECK(worker_thread_name(system, longer) == "a_pool_with_a_l");

  caf::anon_send_exit(outbound, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(longer, caf::exit_reason::user_shutdown);
}
