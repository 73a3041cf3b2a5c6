#include "storage/redis_client.hpp"
#include "tests/support/silent_port.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

using schedulerd::storage::redis_client;
using schedulerd::testing::silent_port;
using schedulerd::testing::test_redis_url;
using schedulerd::testing::unique_redis_prefix;
using namespace std::chrono_literals;

namespace {}  // namespace

TEST_CASE("a reachable Redis answers PING", "[storage][redis]") {
  redis_client redis{test_redis_url()};
  REQUIRE_FALSE(redis.broken());
  CHECK(redis.ping());
}

TEST_CASE("a window counter counts each increment and expires within the window",
          "[storage][redis]") {
  redis_client redis{test_redis_url()};
  auto key = unique_redis_prefix() + "ip:127.0.0.1";
  for (std::int64_t expected = 1; expected <= 3; ++expected) {
    auto counted = redis.increment_window(key, 60);
    REQUIRE(counted);
    CHECK(counted->first == expected);
    CHECK(counted->second > 0);
    CHECK(counted->second <= 60);
  }
  auto other = redis.increment_window(unique_redis_prefix() + "ip:127.0.0.1", 5);
  REQUIRE(other);
  CHECK(other->first == 1);
  CHECK(other->second <= 5);
}

TEST_CASE("several window counters go in one round trip, each counted in order",
          "[storage][redis]") {
  redis_client redis{test_redis_url()};
  const auto prefix = unique_redis_prefix();
  const auto first = prefix + "token:1";
  const auto second = prefix + "token:2";
  REQUIRE(redis.increment_window(second, 60));
  auto counted =
      redis.increment_windows({{first, 60}, {second, 60}, {first, 60}, {prefix + "ip:x", 5}});
  REQUIRE(counted);
  REQUIRE(counted->size() == 4);
  CHECK((*counted)[0].first == 1);
  CHECK((*counted)[1].first == 2);  // after the increment before the call
  CHECK((*counted)[2].first == 2);  // the same key later in the same trip
  CHECK((*counted)[3].first == 1);
  CHECK((*counted)[3].second > 0);
  CHECK((*counted)[3].second <= 5);  // each key keeps its own window
  CHECK((*counted)[0].second > 5);
  auto none = redis.increment_windows({});
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("a refund takes one back from an open window and never goes below zero",
          "[storage][redis]") {
  redis_client redis{test_redis_url()};
  auto key = unique_redis_prefix() + "login:someone";
  CHECK(redis.decrement_window(key) == false);  // no window: nothing to give back
  REQUIRE(redis.increment_window(key, 60));
  REQUIRE(redis.increment_window(key, 60));
  CHECK(redis.decrement_window(key) == true);
  CHECK(redis.decrement_window(key) == true);
  CHECK(redis.decrement_window(key) == false);
  auto counted = redis.increment_window(key, 60);
  REQUIRE(counted);
  CHECK(counted->first == 1);
  CHECK(counted->second > 0);  // the window kept its time-to-live
}

TEST_CASE("two clients on one Redis share a counter, as two nodes would", "[storage][redis]") {
  redis_client first{test_redis_url()};
  redis_client second{test_redis_url()};
  auto key = unique_redis_prefix() + "token:17";
  REQUIRE(first.increment_window(key, 60));
  auto counted = second.increment_window(key, 60);
  REQUIRE(counted);
  CHECK(counted->first == 2);
}

TEST_CASE("an unreachable Redis fails quickly and reports itself broken", "[storage][redis]") {
  silent_port port;
  auto started = std::chrono::steady_clock::now();
  redis_client redis{port.url("redis")};
  CHECK(redis.broken());
  CHECK_FALSE(redis.ping());
  CHECK_FALSE(redis.increment_window("ip:127.0.0.1", 60));
  CHECK_FALSE(redis.reconnect());
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("a URL that is not a Redis URL gives a broken client", "[storage][redis]") {
  redis_client redis{"http://127.0.0.1:6379"};
  CHECK(redis.broken());
  CHECK_FALSE(redis.ping());
}

TEST_CASE("a database number in the URL selects that database", "[storage][redis]") {
  auto url = test_redis_url();
  auto base = url.substr(0, url.find('/', std::string{"redis://"}.size()));
  auto key = unique_redis_prefix() + "ip:10.0.0.9";
  redis_client db0{base + "/0"};
  redis_client db3{base + "/3"};
  REQUIRE_FALSE(db3.broken());
  REQUIRE(db0.increment_window(key, 60));
  auto counted = db3.increment_window(key, 60);
  REQUIRE(counted);
  CHECK(counted->first == 1);
  CHECK(redis_client{base + "/100000"}.broken());
}

TEST_CASE("a server that accepts but never answers costs one command timeout, not a hang",
          "[storage][redis]") {
  silent_port port{true};
  auto started = std::chrono::steady_clock::now();
  redis_client redis{port.url("redis"), 100ms};
  CHECK_FALSE(redis.increment_window("ip:127.0.0.1", 60));
  CHECK(redis.broken());
  CHECK_FALSE(redis.ping());
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("a connection the server resets fails the command and does not kill the process",
          "[storage][redis]") {
  silent_port port{true};
  redis_client redis{port.url("redis")};
  REQUIRE_FALSE(redis.broken());
  REQUIRE(port.reset_next_connection());
  // Writing to a reset socket raises SIGPIPE, whose default action ends the process.
  CHECK_FALSE(redis.increment_window("ip:127.0.0.1", 60));
  CHECK(redis.broken());
  CHECK_FALSE(redis.ping());
}

TEST_CASE("a shared token bucket grants a burst, then the rate, to every client together",
          "[storage][redis]") {
  redis_client first{test_redis_url()};
  redis_client second{test_redis_url()};
  auto key = unique_redis_prefix() + "connection:1";
  // 10 a second, holding 10: the first asks get the burst between them, whoever asks.
  auto a = first.take_tokens(key, 10, 10, 6);
  auto b = second.take_tokens(key, 10, 10, 6);
  REQUIRE((a && b));
  CHECK(a->granted == 6);
  CHECK(a->wait_ms == 0);
  CHECK(b->granted == 4);
  const auto drained_at = std::chrono::steady_clock::now();
  auto none = first.take_tokens(key, 10, 10, 1);
  REQUIRE(none);
  CHECK(none->granted == 0);
  CHECK(none->wait_ms > 0);
  CHECK(none->wait_ms <= 100);  // one token comes back every 100 ms
  // Refilled at the rate: a token for each 100 ms that passed since the bucket ran dry (plus the
  // part of one it held then), however slowly this loop runs.
  const auto window = std::chrono::milliseconds{500};
  std::int64_t granted = 0;
  while (std::chrono::steady_clock::now() - drained_at < window) {
    auto got = second.take_tokens(key, 10, 10, 3);
    REQUIRE(got);
    granted += got->granted;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - drained_at)
                           .count();
  INFO("granted " << granted << " in " << elapsed << " ms");
  CHECK(granted >= 3);
  CHECK(granted <= elapsed / 100 + 1);
}

TEST_CASE("separate connections have separate buckets", "[storage][redis]") {
  redis_client redis{test_redis_url()};
  auto prefix = unique_redis_prefix();
  auto one = redis.take_tokens(prefix + "connection:1", 1, 1, 5);
  auto two = redis.take_tokens(prefix + "connection:2", 1, 1, 5);
  REQUIRE((one && two));
  CHECK(one->granted == 1);
  CHECK(two->granted == 1);
}
