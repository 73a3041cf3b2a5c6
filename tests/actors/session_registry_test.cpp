#include "actors/session_registry.hpp"

#include "actors/errc.hpp"
#include "storage/connection.hpp"
#include "tests/support/polling.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
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
// oldest one on `db` and answers it (a storage failure as the real pool's workers answer it,
// `conflict`), so the test sees exactly what the session has let through at any moment.
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
        try {
          auto outcome = next.work(*db);
          if (outcome.flag == caf::rt_value) {
            next.promise.deliver(std::move(outcome.value));
          } else {
            next.promise.deliver(std::move(outcome.err));
          }
        } catch (const storage::storage_error&) {
          next.promise.deliver(make_error(errc::conflict));
        }
      },
  };
}

// What one user's numbered writes got back, in the order the answers arrived: the number, or
// "error <number>".
using write_replies = std::vector<std::string>;

// Write number `i`: inserts its number, then throws a storage failure if `failing` names it.
actors::db_work numbered_write(std::int64_t i, const std::vector<std::int64_t>& failing) {
  const bool fails = std::find(failing.begin(), failing.end(), i) != failing.end();
  return actors::make_db_work([i, fails](storage::connection& db) {
    db.execute("INSERT INTO log (seq) VALUES ($1)", {i});
    if (fails) {
      throw storage::storage_error(storage::failure::unique_violation, "duplicate");
    }
    return caf::expected<std::int64_t>{i};
  });
}

// Sends write number `i` (`run_atom` and `message`) to `session`; its reply goes to `replies`.
template <class... Message>
void send_write(caf::event_based_actor* self, const caf::actor& session, std::int64_t i,
                const std::shared_ptr<write_replies>& replies, Message&&... message) {
  self->request(session, caf::infinite, run_atom::value, std::forward<Message>(message)...)
      .then([replies](std::int64_t done) { replies->push_back(std::to_string(done)); },
            [replies, i](caf::error&) { replies->push_back("error " + std::to_string(i)); });
}

// One user sending `writes` numbered writes to their session back to back; each write inserts its
// number, and the writes numbered in `failing` throw a storage failure after inserting.
caf::behavior eager_user(caf::event_based_actor* self,
                         const actors::session_registry_actor& registry, std::int64_t writes,
                         const std::shared_ptr<write_replies>& replies,
                         const std::vector<std::int64_t>& failing) {
  self->request(registry, caf::infinite, get_atom::value, std::int64_t{3})
      .then([self, writes, replies, failing](caf::actor& session) {
        for (std::int64_t i = 0; i < writes; ++i) {
          send_write(self, session, i, replies, numbered_write(i, failing));
        }
      });
  return {};
}

// What the joint runs of `joint_log_write` did: the size of each, and how the test wants them to
// behave.
struct joint_runs {
  std::vector<std::size_t> sizes;
  std::vector<std::int64_t> left_out;  // numbers a joint run leaves for their own work
  bool refuse = false;                 // every joint run fails before it changes anything
  bool crash = false;                  // every joint run stops with something other than storage
};

// A numbered write in joint form: a joint run inserts the numbers it keeps and answers each with
// the number times 1000, so the replies tell which writes ran jointly.
class joint_log_write final : public actors::joint_work {
 public:
  joint_log_write(std::int64_t number, std::shared_ptr<joint_runs> runs)
      : number_(number), runs_(std::move(runs)) {}

  std::vector<std::optional<caf::message>> run_together(
      storage::connection& db, const std::vector<actors::joint_work_ptr>& units) override {
    const auto writes = actors::units_of<joint_log_write>(units);
    runs_->sizes.push_back(writes.size());
    if (runs_->refuse) {
      throw storage::storage_error(storage::failure::other, "the joint run is refused");
    }
    if (runs_->crash) {
      throw std::logic_error("the joint run broke");
    }
    std::vector<std::optional<caf::message>> answers;
    for (const auto* write : writes) {
      const auto& left_out = runs_->left_out;
      if (std::find(left_out.begin(), left_out.end(), write->number_) != left_out.end()) {
        answers.emplace_back(std::nullopt);
        continue;
      }
      db.execute("INSERT INTO log (seq) VALUES ($1)", {write->number_});
      answers.emplace_back(caf::make_message(write->number_ * 1000));
    }
    return answers;
  }

 private:
  std::int64_t number_;
  std::shared_ptr<joint_runs> runs_;
};

// eager_user's writes, each with a joint form but those numbered in `plain`; run alone, those
// numbered in `failing` throw a storage failure after inserting.
caf::behavior joint_user(caf::event_based_actor* self,
                         const actors::session_registry_actor& registry, std::int64_t writes,
                         const std::shared_ptr<write_replies>& replies,
                         const std::shared_ptr<joint_runs>& runs,
                         const std::vector<std::int64_t>& plain,
                         const std::vector<std::int64_t>& failing) {
  self->request(registry, caf::infinite, get_atom::value, std::int64_t{3})
      .then([self, writes, replies, runs, plain, failing](caf::actor& session) {
        for (std::int64_t i = 0; i < writes; ++i) {
          if (std::find(plain.begin(), plain.end(), i) != plain.end()) {
            send_write(self, session, i, replies, numbered_write(i, failing));
          } else {
            send_write(self, session, i, replies, numbered_write(i, failing),
                       actors::joint_work_ptr{std::make_shared<joint_log_write>(i, runs)});
          }
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

namespace {

// The numbers the log table holds, in the order they were inserted.
std::vector<std::int64_t> logged_numbers(storage::connection& db) {
  std::vector<std::int64_t> stored;
  for (auto& row : db.execute("SELECT seq FROM log ORDER BY rowid", {}).rows) {
    stored.push_back(std::get<std::int64_t>(row.at(0)));
  }
  return stored;
}

// A pool that holds work, a registry over it and an in-memory log table, on the deterministic
// scheduler.
struct held_sessions : deterministic_fixture {
  std::shared_ptr<storage::connection> db = storage::open_connection("sqlite::memory:");
  std::shared_ptr<std::deque<held_work>> held = std::make_shared<std::deque<held_work>>();
  caf::actor pool;
  actors::session_registry_actor registry;
  std::shared_ptr<write_replies> replies = std::make_shared<write_replies>();

  held_sessions() {
    db->execute("CREATE TABLE log (seq INTEGER)", {});
    pool = keep(system.spawn(holding_pool, held, db));
    registry = keep(actors::spawn_session_registry(system, pool, 60s));
  }

  void user_writes(std::int64_t writes, const std::vector<std::int64_t>& failing = {}) {
    keep(system.spawn(eager_user, registry, writes, replies, failing));
    run();
  }

  // Lets the pool run the oldest unit it holds, then every actor move.
  void release_one() {
    caf::anon_send(pool, ready_atom::value);
    run();
  }
};

}  // namespace

TEST_CASE_METHOD(held_sessions,
                 "a session runs its user's writes one at a time in the order they arrived",
                 "[actors][sessions]") {
  constexpr std::int64_t writes = 20;
  user_writes(writes);
  // The first write went to the pool alone; the others wait for it.
  REQUIRE(held->size() == 1);
  CHECK(replies->empty());

  release_one();
  CHECK(*replies == write_replies{"0"});
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0});
  // The nineteen that waited go to the pool together, in one unit, and nothing else.
  REQUIRE(held->size() == 1);

  release_one();
  CHECK(held->empty());
  write_replies in_order;
  std::vector<std::int64_t> numbers;
  for (std::int64_t i = 0; i < writes; ++i) {
    in_order.push_back(std::to_string(i));
    numbers.push_back(i);
  }
  CHECK(*replies == in_order);
  CHECK(logged_numbers(*db) == numbers);
}

TEST_CASE_METHOD(held_sessions,
                 "a write that fails among others answers its own error and the rest still run",
                 "[actors][sessions]") {
  user_writes(5, {2});
  release_one();  // write 0, alone
  REQUIRE(held->size() == 1);
  release_one();  // writes 1-4 together: 1 runs, 2 throws, so 3 and 4 never ran in that trip
  CHECK(*replies == write_replies{"0", "1", "error 2"});
  REQUIRE(held->size() == 1);
  release_one();  // 3 and 4, sent again
  CHECK(held->empty());
  CHECK(*replies == write_replies{"0", "1", "error 2", "3", "4"});
  // Write 2 inserted before it threw: the stand-in pool has no transaction to roll back, the
  // real one does. Every other write ran exactly once.
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0, 1, 2, 3, 4});
}

TEST_CASE_METHOD(
    held_sessions,
    "joint writes side by side run as one, and one the joint run leaves out runs alone",
    "[actors][sessions]") {
  auto runs = std::make_shared<joint_runs>();
  runs->left_out = {3};
  keep(system.spawn(joint_user, registry, 6, replies, runs, std::vector<std::int64_t>{},
                    std::vector<std::int64_t>{}));
  run();
  release_one();  // write 0, alone: nothing to join
  CHECK(runs->sizes.empty());
  release_one();  // writes 1-5 in one trip: one joint run, write 3 left for its own work
  CHECK(runs->sizes == std::vector<std::size_t>{5});
  CHECK(*replies == write_replies{"0", "1000", "2000", "3", "4000", "5000"});
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0, 1, 2, 4, 5, 3});
}

TEST_CASE_METHOD(held_sessions,
                 "when a write left out of a joint run fails alone, the joint run's writes keep "
                 "their answers and are not sent again",
                 "[actors][sessions]") {
  auto runs = std::make_shared<joint_runs>();
  runs->left_out = {2};
  keep(system.spawn(joint_user, registry, 5, replies, runs, std::vector<std::int64_t>{},
                    std::vector<std::int64_t>{2}));
  run();
  release_one();  // write 0, alone
  release_one();  // 1, 3 and 4 stored jointly; 2 alone throws
  CHECK(runs->sizes == std::vector<std::size_t>{4});
  CHECK(*replies == write_replies{"0", "1000", "3000", "4000", "error 2"});
  CHECK(held->empty());  // nothing goes again
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0, 1, 3, 4, 2});
}

TEST_CASE_METHOD(held_sessions, "a write without a joint form splits the joint runs around it",
                 "[actors][sessions]") {
  auto runs = std::make_shared<joint_runs>();
  keep(system.spawn(joint_user, registry, 6, replies, runs, std::vector<std::int64_t>{3},
                    std::vector<std::int64_t>{}));
  run();
  release_one();
  release_one();  // 1-2 jointly, 3 alone, 4-5 jointly: the order of the writes holds
  CHECK(runs->sizes == std::vector<std::size_t>{2, 2});
  CHECK(*replies == write_replies{"0", "1000", "2000", "3", "4000", "5000"});
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5});
}

TEST_CASE_METHOD(held_sessions, "when a joint run fails, each of its writes runs alone",
                 "[actors][sessions]") {
  auto runs = std::make_shared<joint_runs>();
  runs->refuse = true;
  keep(system.spawn(joint_user, registry, 5, replies, runs, std::vector<std::int64_t>{},
                    std::vector<std::int64_t>{}));
  run();
  release_one();
  release_one();
  CHECK(runs->sizes == std::vector<std::size_t>{4});
  CHECK(*replies == write_replies{"0", "1", "2", "3", "4"});
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0, 1, 2, 3, 4});
}

TEST_CASE_METHOD(held_sessions,
                 "a joint run that breaks otherwise than in storage answers each of its writes "
                 "with an error and runs none again",
                 "[actors][sessions]") {
  auto runs = std::make_shared<joint_runs>();
  runs->crash = true;
  keep(system.spawn(joint_user, registry, 4, replies, runs, std::vector<std::int64_t>{},
                    std::vector<std::int64_t>{}));
  run();
  release_one();
  release_one();
  CHECK(runs->sizes == std::vector<std::size_t>{3});
  CHECK(*replies == write_replies{"0", "error 1", "error 2", "error 3"});
  CHECK(held->empty());
  CHECK(logged_numbers(*db) == std::vector<std::int64_t>{0});
}

TEST_CASE_METHOD(held_sessions, "writes the pool never answers time out, and the next ones run",
                 "[actors][sessions]") {
  user_writes(3);
  release_one();  // write 0
  REQUIRE(held->size() == 1);
  // Writes 1 and 2 stay held past the database deadline.
  scheduler->advance_time(actors::db_timeout + 1ms);
  run();
  CHECK(*replies == write_replies{"0", "error 1", "error 2"});
  user_writes(1);
  // The new write goes to the pool while the timed-out trip is still held there.
  CHECK(held->size() == 2);
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
