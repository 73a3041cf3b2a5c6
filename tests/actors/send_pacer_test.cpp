#include "actors/send_pacer.hpp"

#include "actors/errc.hpp"
#include "tests/support/silent_port.hpp"
#include "tests/support/test_databases.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <utility>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

struct pacer_fixture {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  std::FILE* log_file = std::tmpfile();
  std::shared_ptr<log::logger> logger;
  std::vector<caf::actor> actors;

  pacer_fixture() {
    register_errc_category(config);
    system = std::make_unique<caf::actor_system>(config);
    logger = std::make_shared<log::logger>(log::level::info, log::format::json, log_file);
  }

  pacer_fixture(const pacer_fixture&) = delete;
  pacer_fixture& operator=(const pacer_fixture&) = delete;

  ~pacer_fixture() {
    for (auto& actor : actors) {
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    }
    actors.clear();  // a detached actor's thread ends only when its last handle is gone
    system.reset();
    static_cast<void>(std::fclose(log_file));  // a scratch file, nothing to recover
  }

  actors::send_pacer_actor pacer(const std::string& redis_url, double rate) {
    auto spawned = actors::spawn_send_pacer(*system, redis_url, rate, logger);
    actors.push_back(caf::actor_cast<caf::actor>(spawned));
    return spawned;
  }

  // Asks `pacer` for `want` sends of connection `provider_id`: (granted, wait_ms).
  std::pair<std::int64_t, std::int64_t> ask(const actors::send_pacer_actor& pacer,
                                            std::int64_t provider_id, std::int64_t want) const {
    caf::scoped_actor self{*system};
    std::pair<std::int64_t, std::int64_t> answer{-1, -1};
    self->request(pacer, 5s, limit_atom::value, provider_id, want)
        .receive(
            [&](std::int64_t granted, std::int64_t wait) {
              answer = {granted, wait};
            },
            [&](caf::error& err) { FAIL(system->render(err)); });
    return answer;
  }
};

}  // namespace

TEST_CASE_METHOD(pacer_fixture, "two nodes' pacers on one Redis grant one connection's budget once",
                 "[actors][send_pacer]") {
  // A connection id no other test uses in the shared test Redis.
  const auto connection = static_cast<std::int64_t>(std::random_device{}() % 1'000'000'000) + 1;
  auto node_a = pacer(testing::test_redis_url(), 5);
  auto node_b = pacer(testing::test_redis_url(), 5);
  CHECK(ask(node_a, connection, 3).first == 3);
  CHECK(ask(node_b, connection, 3).first == 2);  // the bucket holds one second's worth: 5
  const auto refused = ask(node_a, connection, 3);
  CHECK(refused.first == 0);
  CHECK(refused.second > 0);
  CHECK(refused.second <= 200);                      // a token every 200 ms
  CHECK(ask(node_b, connection + 1, 3).first == 3);  // another connection, another bucket
}

TEST_CASE_METHOD(pacer_fixture, "with Redis unreachable a pacer still paces, alone and quickly",
                 "[actors][send_pacer]") {
  testing::silent_port nothing_there;
  const auto started = std::chrono::steady_clock::now();
  auto alone = pacer(nothing_there.url("redis"), 5);
  CHECK(ask(alone, 1, 4).first == 4);
  CHECK(ask(alone, 1, 4).first == 1);
  const auto refused = ask(alone, 1, 4);
  CHECK(refused.first == 0);
  CHECK(refused.second > 0);
  CHECK(std::chrono::steady_clock::now() - started < 2s);  // one connect timeout, not one per ask
}
