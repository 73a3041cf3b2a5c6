#include "actors/db_pool.hpp"

#include "actors/errc.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>
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
