#include "actors/db_pool.hpp"

#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "tests/support/polling.hpp"

#include <pthread.h>
#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

struct pool_fixture {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  std::shared_ptr<log::logger> logger =
      std::make_shared<log::logger>(log::level::error, log::format::json);
  std::filesystem::path directory;

  pool_fixture() {
    register_errc_category(config);
    system = std::make_unique<caf::actor_system>(config);
    directory = std::filesystem::temp_directory_path() /
                ("sd-pool-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(directory);
  }

  pool_fixture(const pool_fixture&) = delete;
  pool_fixture& operator=(const pool_fixture&) = delete;

  ~pool_fixture() {
    system.reset();
    std::filesystem::remove_all(directory);
  }

  caf::actor make_pool(const std::string& url, int size) const {
    return actors::spawn_db_pool(*system, actors::db_pool_settings{url, size}, logger);
  }

  // A pool registering its workers as `pool.worker.<slot>` in `directory`.
  caf::actor make_watched_pool(const caf::actor& directory, int size,
                               actors::restart_intensity intensity = {10, 10s}) const {
    return actors::spawn_db_pool(*system, actors::db_pool_settings{sqlite_url(), size}, logger,
                                 actors::pool_options{directory, "pool", intensity});
  }

  // The current worker registered under `name`, once the directory knows a live one.
  caf::actor worker(const caf::actor& directory, const std::string& name) const {
    caf::actor found;
    testing::eventually([&] {
      caf::scoped_actor self{*system};
      self->request(directory, 5s, get_atom::value, name)
          .receive([&](caf::actor& handle) { found = handle; }, [](caf::error&) {});
      return static_cast<bool>(found);
    });
    return found;
  }

  // How many workers of the pool the directory lists as alive, and their restarts in total.
  std::pair<int, std::int64_t> live_workers(const caf::actor& directory) const {
    caf::scoped_actor self{*system};
    std::pair<int, std::int64_t> counts{0, 0};
    self->request(directory, 5s, list_atom::value)
        .receive(
            [&](std::vector<actors::actor_info>& infos) {
              for (const auto& info : infos) {
                if (info.kind == "worker" && info.alive) {
                  ++counts.first;
                  counts.second += info.restarts;
                }
              }
            },
            [](caf::error&) {});
    return counts;
  }

  [[nodiscard]] std::string sqlite_url() const {
    return "sqlite://" + (directory / "pool.db").string();
  }
};

// Runs `fn` through the pool from a blocking helper actor and returns what came back.
template <class T, class F>
caf::expected<T> run(caf::actor_system& system, const caf::actor& pool, F fn) {
  caf::scoped_actor self{system};
  caf::expected<T> outcome = make_error(errc::internal, "no answer");
  // cppcheck-suppress accessMoved ; false positive: the chained .receive() is no later use
  self->request(pool, 5s, run_atom::value, actors::make_db_work(std::move(fn)))
      .receive([&](T& value) { outcome = std::move(value); },
               [&](caf::error& err) { outcome = std::move(err); });
  return outcome;
}

}  // namespace

TEST_CASE_METHOD(pool_fixture, "work runs on a pooled connection and its value comes back",
                 "[actors][db_pool]") {
  auto pool = make_pool(sqlite_url(), 2);
  auto answer = run<std::int64_t>(*system, pool, [](storage::connection& db) {
    auto rows = db.execute("SELECT $1 + $2", {std::int64_t{40}, std::int64_t{2}}).rows;
    return caf::expected<std::int64_t>{std::get<std::int64_t>(rows.at(0).at(0))};
  });
  REQUIRE(answer);
  CHECK(*answer == 42);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture,
                 "errors of the work, of the database and exceptions reach the caller",
                 "[actors][db_pool]") {
  auto pool = make_pool(sqlite_url(), 1);
  auto missing = run<int>(*system, pool, [](storage::connection&) -> caf::expected<int> {
    return make_error(errc::not_found);
  });
  CHECK(describe(missing.error()).code == errc::not_found);

  auto duplicate = run<int>(*system, pool, [](storage::connection& db) -> caf::expected<int> {
    db.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)");
    db.execute("INSERT INTO t VALUES ('a')");
    db.execute("INSERT INTO t VALUES ('a')");
    return 0;
  });
  CHECK(describe(duplicate.error()).code == errc::conflict);

  auto thrown = run<int>(*system, pool, [](storage::connection&) -> caf::expected<int> {
    throw std::runtime_error("bug");
  });
  CHECK(describe(thrown.error()).code == errc::internal);

  auto still_serving =
      run<int>(*system, pool, [](storage::connection&) { return caf::expected<int>{1}; });
  CHECK(still_serving);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "more concurrent work than workers is queued, not lost",
                 "[actors][db_pool]") {
  auto pool = make_pool(sqlite_url(), 2);
  static constexpr int count = 50;
  auto total = std::make_shared<std::promise<int>>();
  auto future = total->get_future();
  system->spawn([pool, total](caf::event_based_actor* self) {
    auto sum = std::make_shared<int>(0);
    auto remaining = std::make_shared<int>(count);
    for (int i = 0; i < count; ++i) {
      actors::query(self, pool, [i](storage::connection& db) {
        db.execute("SELECT 1");
        return caf::expected<int>{i};
      }).then([sum, remaining, total](int value) {
        *sum += value;
        if (--*remaining == 0) {
          total->set_value(*sum);
        }
      });
    }
  });
  REQUIRE(future.wait_for(10s) == std::future_status::ready);
  int sum = future.get();
  CHECK(sum == count * (count - 1) / 2);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "urgent work overtakes the work queued before it",
                 "[actors][db_pool]") {
  auto pool = make_pool(sqlite_url(), 1);
  auto started = std::make_shared<std::promise<void>>();
  auto gate = std::make_shared<std::promise<void>>();
  auto order = std::make_shared<std::vector<std::string>>();
  auto order_mutex = std::make_shared<std::mutex>();
  auto all_ran = std::make_shared<std::promise<void>>();
  auto record = [order, order_mutex, all_ran](const std::string& name) {
    std::lock_guard<std::mutex> guard{*order_mutex};
    order->push_back(name);
    if (order->size() == 4) {
      all_ran->set_value();
    }
    return caf::expected<bool>{true};
  };
  // Every message the pool got so far is handled: what it cannot run yet is in its queue.
  auto pool_idle = [&] {
    std::int64_t waiting = -1;
    caf::scoped_actor self{*system};
    self->request(pool, 5s, get_atom::value, mailbox_atom::value)
        .receive([&](actors::actor_probe& probe) { waiting = probe.mailbox; }, [](caf::error&) {});
    return waiting == 0;
  };
  system->spawn([pool, started, gate, record](caf::event_based_actor* self) {
    // The one worker waits on the gate while the rest queue up behind it.
    actors::query(self, pool, [started, opened = gate->get_future().share()](storage::connection&) {
      started->set_value();
      opened.wait();
      return caf::expected<bool>{true};
    }).then([](bool) {});
    for (const char* name : {"first", "second", "third"}) {
      actors::query(self, pool, [record, name](storage::connection&) {
        return record(name);
      }).then([](bool) {});
    }
  });
  REQUIRE(started->get_future().wait_for(10s) == std::future_status::ready);
  REQUIRE(testing::eventually(pool_idle));
  auto sent = std::make_shared<std::promise<void>>();
  system->spawn([pool, record, sent](caf::event_based_actor* self) {
    actors::urgent_query(self, pool, [record](storage::connection&) {
      return record("urgent");
    }).then([](bool) {});
    sent->set_value();
  });
  REQUIRE(sent->get_future().wait_for(10s) == std::future_status::ready);
  REQUIRE(testing::eventually(pool_idle));
  gate->set_value();
  REQUIRE(all_ran->get_future().wait_for(10s) == std::future_status::ready);
  CHECK(*order == std::vector<std::string>{"urgent", "first", "second", "third"});
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "an unreachable database answers unavailable instead of hanging",
                 "[actors][db_pool]") {
  auto pool = make_pool("postgresql://postgres@127.0.0.1:1/none", 2);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto outcome =
        run<int>(*system, pool, [](storage::connection&) { return caf::expected<int>{1}; });
    REQUIRE_FALSE(outcome);
    CHECK(describe(outcome.error()).code == errc::unavailable);
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "a pool worker killed under load is replaced and no caller fails",
                 "[actors][db_pool]") {
  auto directory = actors::spawn_directory(*system);
  auto pool = make_watched_pool(directory, 2);
  auto victim = worker(directory, "pool.worker.0");
  REQUIRE(victim);
  static constexpr int count = 200;
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  system->spawn([pool, failures, done](caf::event_based_actor* self) {
    auto remaining = std::make_shared<int>(count);
    auto answered = [remaining, done] {
      if (--*remaining == 0) {
        done->set_value();
      }
    };
    for (int i = 0; i < count; ++i) {
      actors::query(self, pool,
                    [](storage::connection& db) {
                      db.execute("SELECT 1");
                      return caf::expected<int>{1};
                    })
          .then([answered](int) { answered(); },
                [answered, failures](caf::error&) {
                  ++*failures;
                  answered();
                });
    }
  });
  caf::anon_send_exit(victim, caf::exit_reason::kill);
  REQUIRE(finished.wait_for(10s) == std::future_status::ready);
  CHECK(failures->load() == 0);
  CHECK(testing::eventually([&] { return live_workers(directory) == std::make_pair(2, 1L); }));
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(
    pool_fixture,
    "work running on a worker that dies gets an error and the pool returns to full size",
    "[actors][db_pool]") {
  auto directory = actors::spawn_directory(*system);
  auto pool = make_watched_pool(directory, 2);
  REQUIRE(worker(directory, "pool.worker.1"));
  auto crashed = run<int>(*system, pool, [](storage::connection&) -> caf::expected<int> {
    // Not a std::exception: the worker does not catch it, so it escapes and ends the worker.
    throw 42;
  });
  REQUIRE_FALSE(crashed);
  CHECK(describe(crashed.error()).code != errc::conflict);
  CHECK(testing::eventually([&] { return live_workers(directory) == std::make_pair(2, 1L); }));
  auto after = run<int>(*system, pool, [](storage::connection&) { return caf::expected<int>{7}; });
  CHECK(after == 7);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "a pool whose workers keep dying stops with an error",
                 "[actors][db_pool]") {
  auto directory = actors::spawn_directory(*system);
  auto pool = make_watched_pool(directory, 1, {2, 10s});
  caf::scoped_actor watcher{*system};
  watcher->monitor(pool);
  caf::actor previous;
  for (int kill = 0; kill < 3; ++kill) {
    caf::actor current;
    REQUIRE(testing::eventually([&] {
      current = worker(directory, "pool.worker.0");
      return current && current != previous;
    }));
    caf::anon_send_exit(current, caf::exit_reason::kill);
    previous = current;
  }
  caf::error reason;
  watcher->receive([&](caf::down_msg& down) { reason = down.reason; },
                   caf::after(10s) >> [&] { reason = make_error(errc::internal, "pool alive"); });
  CHECK(describe(reason).code == errc::unavailable);
  caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "a pool's workers run on threads named after the pool",
                 "[actors][db_pool]") {
  auto pool = actors::spawn_db_pool(*system, actors::db_pool_settings{sqlite_url(), 1}, logger,
                                    actors::pool_options{{}, "core.db_pool", {}});
  auto name = run<std::string>(*system, pool, [](storage::connection&) {
    std::array<char, 16> buffer{};
    pthread_getname_np(pthread_self(), buffer.data(), buffer.size());
    return caf::expected<std::string>{std::string{buffer.data()}};
  });
  REQUIRE(name);
  CHECK(*name == "db_pool");
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}
