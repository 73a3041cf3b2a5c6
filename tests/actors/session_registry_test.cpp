#include "actors/session_registry.hpp"

#include "actors/errc.hpp"
#include "tests/support/polling.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <random>
#include <vector>

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

namespace {

// A unit of work the session handed to the database, not yet answered.
struct held_work {
  actors::db_work work;
  caf::response_promise promise;
};

// A database pool that keeps every unit of work until the test sends `ready_atom`, then runs the
// oldest one on `db` and answers it, so the test sees exactly how many of a user's writes the
// session has let through at any moment.
caf::behavior holding_pool(caf::event_based_actor* self,
                           const std::shared_ptr<std::deque<held_work>>& held,
                           const std::shared_ptr<storage::connection>& db) {
  return {
      [self, held](run_atom, actors::db_work& work) {
        held->push_back({std::move(work), self->make_response_promise()});
      },
      [held, db](ready_atom) {
        if (held->empty()) {
          return;
        }
        auto next = std::move(held->front());
        held->pop_front();
        auto outcome = next.work(*db);
        if (outcome.flag == caf::rt_value) {
          next.promise.deliver(std::move(outcome.value));
        } else {
          next.promise.deliver(std::move(outcome.err));
        }
      },
  };
}

// One user sending `writes` numbered writes to their session back to back; each write inserts its
// number, and each reply it gets is recorded in the order it arrives.
caf::behavior eager_user(caf::event_based_actor* self,
                         const actors::session_registry_actor& registry, std::int64_t writes,
                         const std::shared_ptr<std::vector<std::int64_t>>& replies) {
  self->request(registry, caf::infinite, get_atom::value, std::int64_t{3})
      .then([self, writes, replies](caf::actor& session) {
        for (std::int64_t i = 0; i < writes; ++i) {
          self->request(session, caf::infinite, run_atom::value,
                        actors::make_db_work([i](storage::connection& db) {
                          db.execute("INSERT INTO log (seq) VALUES ($1)", {i});
                          return caf::expected<std::int64_t>{i};
                        }))
              .then([replies](std::int64_t done) { replies->push_back(done); });
        }
      });
  return {};
}

caf::actor_system_config& with_testing_scheduler(caf::actor_system_config& config) {
  config.set("scheduler.policy", caf::atom("testing"));
  register_errc_category(config);
  return config;
}

// CAF's deterministic scheduler: nothing runs until the test says so, and then on this thread.
struct deterministic_fixture {
  caf::actor_system_config config;
  caf::actor_system system{with_testing_scheduler(config)};
  caf::scheduler::test_coordinator* scheduler =
      &dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());
  std::vector<caf::actor> spawned;

  deterministic_fixture() = default;
  deterministic_fixture(const deterministic_fixture&) = delete;
  deterministic_fixture& operator=(const deterministic_fixture&) = delete;

  ~deterministic_fixture() {
    // The system's destructor waits for every actor, and here actors only move when we run them.
    for (const auto& actor : spawned) {
      caf::anon_send_exit(actor, caf::exit_reason::kill);
    }
    run();
  }

  template <class Handle>
  Handle keep(Handle handle) {
    spawned.push_back(caf::actor_cast<caf::actor>(handle));
    return handle;
  }

  // Lets every actor with a message handle it, until none has; timeouts never fire (time stands
  // still), so only messages move the actors.
  void run() const {
    while (scheduler->try_run_once()) {
    }
  }
};

}  // namespace

TEST_CASE_METHOD(deterministic_fixture,
                 "a session runs its user's writes one at a time in the order they arrived",
                 "[actors][sessions]") {
  std::shared_ptr<storage::connection> db = storage::open_connection("sqlite::memory:");
  db->execute("CREATE TABLE log (seq INTEGER)");
  auto held = std::make_shared<std::deque<held_work>>();
  auto pool = keep(system.spawn(holding_pool, held, db));
  auto registry = keep(actors::spawn_session_registry(system, pool, 10s));
  constexpr std::int64_t writes = 20;
  auto replies = std::make_shared<std::vector<std::int64_t>>();
  keep(system.spawn(eager_user, registry, writes, replies));

  std::vector<std::int64_t> answered;
  for (std::int64_t i = 0; i < writes; ++i) {
    INFO("write " << i);
    run();
    // With every actor idle, the session has let exactly one write through, and every earlier
    // one has been answered, in order.
    REQUIRE(held->size() == 1);
    CHECK(*replies == answered);
    caf::anon_send(pool, ready_atom::value);
    answered.push_back(i);
  }
  run();
  CHECK(held->empty());
  CHECK(*replies == answered);
  // The database saw the writes in the order the user sent them.
  std::vector<std::int64_t> stored;
  for (auto& row : db->execute("SELECT seq FROM log ORDER BY rowid").rows) {
    stored.push_back(std::get<std::int64_t>(row.at(0)));
  }
  CHECK(stored == answered);
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

TEST_CASE_METHOD(registry_fixture, "an exit request stops the registry and every session with it",
                 "[actors][sessions]") {
  auto registry = actors::spawn_session_registry(*system, pool, 10s);
  auto session = session_of(registry, 1);
  REQUIRE(session);
  caf::scoped_actor self{*system};
  self->monitor(registry);
  self->monitor(session);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  std::vector<caf::actor_addr> stopped;
  for (int i = 0; i < 2; ++i) {
    self->receive([&](caf::down_msg& down) { stopped.push_back(down.source); },
                  caf::after(5s) >> [] {});
  }
  CHECK(std::count(stopped.begin(), stopped.end(), registry.address()) == 1);
  CHECK(std::count(stopped.begin(), stopped.end(), session.address()) == 1);
}
