#include "actors/rate_limiter.hpp"

#include "actors/errc.hpp"
#include "actors/redis_probe.hpp"
#include "storage/redis_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/silent_port.hpp"
#include "tests/support/test_databases.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// A key no other test run uses, so runs sharing one Redis never see each other's counts.
std::string unique_key(const std::string& name) {
  return testing::unique_redis_prefix() + name;
}

// A private redis-server child process that a test can stop and start again on the same port.
class throwaway_redis {
 public:
  explicit throwaway_redis(std::filesystem::path directory)
      : directory_(std::move(directory)), port_(testing::silent_port{}.port()) {}
  throwaway_redis(const throwaway_redis&) = delete;
  throwaway_redis& operator=(const throwaway_redis&) = delete;
  ~throwaway_redis() { stop(); }

  void start() {
    auto port = std::to_string(port_);
    auto log = (directory_ / "redis.log").string();
    auto dir = directory_.string();
    std::vector<std::string> args{
        "redis-server", "--port",      port, "--bind", "127.0.0.1", "--save",    "", "--appendonly",
        "no",           "--daemonize", "no", "--dir",  dir,         "--logfile", log};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    if (::posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start redis-server");
    }
    REQUIRE(testing::eventually([this] { return storage::redis_client{url()}.ping(); }));
  }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = 0;
    }
  }

  [[nodiscard]] std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

 private:
  std::filesystem::path directory_;
  int port_ = 0;
  pid_t pid_ = 0;
};

struct limiter_fixture {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  std::filesystem::path directory;
  std::FILE* log_file = nullptr;
  std::shared_ptr<log::logger> logger;
  std::vector<caf::actor> actors;

  limiter_fixture() {
    register_errc_category(config);
    system = std::make_unique<caf::actor_system>(config);
    directory = std::filesystem::temp_directory_path() /
                ("sd-ratelimit-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(directory);
    log_file = std::fopen((directory / "service.log").c_str(), "w");
    logger = std::make_shared<log::logger>(log::level::info, log::format::json, log_file);
  }

  limiter_fixture(const limiter_fixture&) = delete;
  limiter_fixture& operator=(const limiter_fixture&) = delete;

  ~limiter_fixture() {
    for (auto& actor : actors) {
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    }
    // A detached actor's thread ends only when its last handle is gone.
    actors.clear();
    system.reset();
    static_cast<void>(std::fclose(log_file));  // only read back by the test, nothing to recover
    std::filesystem::remove_all(directory);
  }

  actors::rate_limiter_actor limiter(const std::string& redis_url) {
    auto spawned = actors::spawn_rate_limiter(*system, redis_url, logger);
    actors.push_back(caf::actor_cast<caf::actor>(spawned));
    return spawned;
  }

  caf::actor probe(const std::string& redis_url) {
    auto spawned = actors::spawn_redis_probe(*system, redis_url);
    actors.push_back(spawned);
    return spawned;
  }

  actors::rate_decision spend(const actors::rate_limiter_actor& limiter, const std::string& key,
                              int limit) const {
    caf::scoped_actor self{*system};
    actors::rate_decision out;
    std::string failure;
    self->request(limiter, 5s, limit_atom::value, key, limit)
        .receive([&](actors::rate_decision& decision) { out = decision; },
                 [&](caf::error& err) { failure = system->render(err); });
    INFO("the limiter failed: " << failure);
    REQUIRE(failure.empty());
    return out;
  }

  bool ping(const caf::actor& probe) const {
    caf::scoped_actor self{*system};
    bool up = false;
    std::string failure;
    self->request(probe, 5s, ping_atom::value)
        .receive([&](bool answer) { up = answer; },
                 [&](caf::error& err) { failure = system->render(err); });
    INFO("the probe failed: " << failure);
    REQUIRE(failure.empty());
    return up;
  }

  // How many log lines name `event` so far.
  [[nodiscard]] int log_lines(const std::string& event) const {
    std::ifstream in{directory / "service.log"};
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
      count += line.find(R"("event":")" + event + '"') != std::string::npos ? 1 : 0;
    }
    return count;
  }
};

}  // namespace

TEST_CASE_METHOD(limiter_fixture,
                 "the in-process limiter refuses a key's request over the limit only",
                 "[actors][rate_limiter]") {
  auto limits = limiter("");
  for (int i = 1; i <= 3; ++i) {
    auto decision = spend(limits, "ip:127.0.0.1", 3);
    CHECK(decision.allowed);
    CHECK(decision.remaining == 3 - i);
  }
  auto refused = spend(limits, "ip:127.0.0.1", 3);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.limit == 3);
  CHECK(refused.remaining == 0);
  CHECK(refused.retry_after_s >= 1);
  CHECK(refused.retry_after_s <= 60);
  CHECK(spend(limits, "ip:127.0.0.2", 3).allowed);
  CHECK(spend(limits, "token:17", 3).allowed);
}

TEST_CASE_METHOD(limiter_fixture, "two nodes pointed at the same Redis share one budget",
                 "[actors][rate_limiter]") {
  auto node_a = limiter(testing::test_redis_url());
  auto node_b = limiter(testing::test_redis_url());
  auto key = unique_key("auth:1.2.3.4");
  CHECK(spend(node_a, key, 3).remaining == 2);
  CHECK(spend(node_b, key, 3).remaining == 1);
  CHECK(spend(node_a, key, 3).remaining == 0);
  auto refused = spend(node_b, key, 3);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_s >= 1);
  CHECK(refused.retry_after_s <= 60);
  CHECK(spend(node_b, unique_key("auth:1.2.3.4"), 3).allowed);
  CHECK(log_lines("redis_unavailable") == 0);
}

TEST_CASE_METHOD(limiter_fixture,
                 "requests that reach the Redis limiter together are each counted once",
                 "[actors][rate_limiter]") {
  auto limits = limiter(testing::test_redis_url());
  const auto key = unique_key("token:99");
  constexpr int limit = 120;
  constexpr int requests = 200;
  // Sent all at once, so that they wait in the limiter's mailbox and share round trips.
  caf::scoped_actor self{*system};
  for (int i = 0; i < requests; ++i) {
    self->send(caf::actor_cast<caf::actor>(limits), limit_atom::value, key, limit);
  }
  int allowed = 0;
  std::set<int> remaining;
  std::string failure;
  for (int i = 0; i < requests; ++i) {
    self->receive(
        [&](actors::rate_decision& decision) {
          allowed += decision.allowed ? 1 : 0;
          if (decision.allowed) {
            remaining.insert(decision.remaining);
          }
        },
        [&](caf::error& err) { failure = system->render(err); },
        caf::after(5s) >> [&] { failure = "no answer within 5 s"; });
    if (!failure.empty()) {
      break;
    }
  }
  INFO("the limiter failed: " << failure);
  REQUIRE(failure.empty());
  CHECK(allowed == limit);
  // Every allowed request saw its own count: 119 down to 0, each once.
  CHECK(remaining.size() == static_cast<std::size_t>(limit));
  CHECK(*remaining.begin() == 0);
  CHECK(*remaining.rbegin() == limit - 1);
  storage::redis_client direct{testing::test_redis_url()};
  CHECK(direct.increment_window(key, 60)->first == requests + 1);
}

TEST_CASE_METHOD(limiter_fixture,
                 "with Redis unreachable the limiter still limits, quickly, in process",
                 "[actors][rate_limiter]") {
  testing::silent_port nothing_there;
  auto started = std::chrono::steady_clock::now();
  auto limits = limiter(nothing_there.url("redis"));
  CHECK(spend(limits, "ip:10.0.0.1", 2).allowed);
  CHECK(spend(limits, "ip:10.0.0.1", 2).allowed);
  CHECK_FALSE(spend(limits, "ip:10.0.0.1", 2).allowed);
  for (int i = 0; i < 20; ++i) {
    CHECK(spend(limits, "ip:10.0.0." + std::to_string(i + 2), 2).allowed);
  }
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(log_lines("redis_unavailable") == 1);
}

TEST_CASE_METHOD(limiter_fixture, "the Redis probe tells a live Redis from a closed port",
                 "[actors][rate_limiter][redis_probe]") {
  CHECK(ping(probe(testing::test_redis_url())));
  testing::silent_port nothing_there;
  CHECK_FALSE(ping(probe(nothing_there.url("redis"))));
}

TEST_CASE_METHOD(limiter_fixture,
                 "when Redis goes away limits stay in process and return to Redis when it is back",
                 "[actors][rate_limiter][redis_probe]") {
  throwaway_redis server{directory};
  server.start();
  auto limits = limiter(server.url());
  auto health = probe(server.url());
  CHECK(ping(health));

  // Counted in Redis: a direct increment sees the limiter's two requests.
  auto shared_key = unique_key("token:1");
  spend(limits, shared_key, 100);
  spend(limits, shared_key, 100);
  CHECK(storage::redis_client{server.url()}.increment_window(shared_key, 60)->first == 3);

  server.stop();
  auto outage_started = std::chrono::steady_clock::now();
  CHECK(spend(limits, "ip:10.1.1.1", 2).allowed);
  CHECK(spend(limits, "ip:10.1.1.1", 2).allowed);
  CHECK_FALSE(spend(limits, "ip:10.1.1.1", 2).allowed);
  CHECK(std::chrono::steady_clock::now() - outage_started < 2s);
  CHECK_FALSE(ping(health));

  server.start();
  CHECK(ping(health));
  storage::redis_client direct{server.url()};
  CHECK(testing::eventually([&] {
    auto key = unique_key("ip:10.2.2.2");
    spend(limits, key, 100);
    auto counted = direct.increment_window(key, 60);
    return counted && counted->first == 2;
  }));

  CHECK(log_lines("redis_unavailable") == 1);
  CHECK(log_lines("redis_restored") == 1);
}
