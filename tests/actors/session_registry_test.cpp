#include "actors/session_registry.hpp"

#include "actors/errc.hpp"
#include "tests/support/polling.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

struct registry_fixture {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  std::filesystem::path directory;
  caf::actor pool;

  registry_fixture() {
    register_errc_category(config);
    system = std::make_unique<caf::actor_system>(config);
    directory = std::filesystem::temp_directory_path() /
                ("sd-sessions-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(directory);
    pool = actors::spawn_db_pool(
        *system, actors::db_pool_settings{"sqlite://" + (directory / "s.db").string(), 2},
        std::make_shared<log::logger>(log::level::error, log::format::json));
  }

  registry_fixture(const registry_fixture&) = delete;
  registry_fixture& operator=(const registry_fixture&) = delete;

  ~registry_fixture() {
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    system.reset();
    std::filesystem::remove_all(directory);
  }

  caf::actor session_of(const actors::session_registry_actor& registry, std::int64_t user) const {
    caf::scoped_actor self{*system};
    caf::actor session;
    self->request(registry, 5s, get_atom::value, user)
        .receive([&](caf::actor& found) { session = found; }, [](caf::error&) {});
    return session;
  }

  std::int64_t live_sessions(const actors::session_registry_actor& registry) const {
    caf::scoped_actor self{*system};
    std::int64_t count = -1;
    self->request(registry, 5s, get_atom::value)
        .receive([&](std::int64_t n) { count = n; }, [](caf::error&) {});
    return count;
  }
};

}  // namespace

TEST_CASE_METHOD(registry_fixture, "each user gets one session actor, reused while active",
                 "[actors][sessions]") {
  auto registry = actors::spawn_session_registry(*system, pool, 10s);
  auto first = session_of(registry, 1);
  CHECK(first);
  CHECK(session_of(registry, 1) == first);
  CHECK(session_of(registry, 2) != first);
  CHECK(live_sessions(registry) == 2);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(registry_fixture, "an idle session stops and the next request gets a new one",
                 "[actors][sessions]") {
  auto registry = actors::spawn_session_registry(*system, pool, 50ms);
  auto first = session_of(registry, 7);
  CHECK(testing::eventually([&] { return live_sessions(registry) == 0; }));
  CHECK(session_of(registry, 7) != first);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(registry_fixture, "a session runs its user's writes one at a time, in order",
                 "[actors][sessions]") {
  auto registry = actors::spawn_session_registry(*system, pool, 10s);
  auto session = session_of(registry, 3);
  caf::scoped_actor self{*system};
  self->request(pool, 5s, run_atom::value, actors::make_db_work([](storage::connection& db) {
                  db.execute("CREATE TABLE log (seq INTEGER)");
                  return caf::expected<bool>{true};
                }))
      .receive([](bool) {}, [](caf::error&) {});
  constexpr int writes = 20;
  for (int i = 0; i < writes; ++i) {
    self->send(session, run_atom::value, actors::make_db_work([i](storage::connection& db) {
                 db.execute("INSERT INTO log (seq) VALUES ($1)", {std::int64_t{i}});
                 return caf::expected<bool>{true};
               }));
  }
  std::vector<std::int64_t> order;
  testing::eventually([&] {
    self->request(pool, 5s, run_atom::value, actors::make_db_work([](storage::connection& db) {
                    std::vector<std::int64_t> seen;
                    for (auto& row : db.execute("SELECT seq FROM log ORDER BY rowid").rows) {
                      seen.push_back(std::get<std::int64_t>(row.at(0)));
                    }
                    return caf::expected<std::vector<std::int64_t>>{seen};
                  }))
        .receive([&](std::vector<std::int64_t>& seen) { order = seen; }, [](caf::error&) {});
    return order.size() >= writes;
  });
  REQUIRE(order.size() == writes);
  for (int i = 0; i < writes; ++i) {
    // cppcheck-suppress containerOutOfBounds ; the REQUIRE above stops a short `order`
    CHECK(order[static_cast<std::size_t>(i)] == i);
  }
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(registry_fixture, "a crashed session affects no other user",
                 "[actors][sessions]") {
  auto registry = actors::spawn_session_registry(*system, pool, 10s);
  auto victim = session_of(registry, 1);
  auto bystander = session_of(registry, 2);
  // The reason an exception escaping a handler gives; `kill` would be untrappable by design.
  caf::anon_send_exit(victim, caf::exit_reason::unhandled_exception);
  CHECK(testing::eventually([&] { return live_sessions(registry) == 1; }));
  CHECK(session_of(registry, 2) == bystander);
  auto replacement = session_of(registry, 1);
  CHECK(replacement);
  CHECK(replacement != victim);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
}
