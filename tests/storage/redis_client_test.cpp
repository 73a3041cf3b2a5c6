#include "storage/redis_client.hpp"

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
using namespace std::chrono_literals;

namespace {

std::string test_redis_url() {
  const char* url = std::getenv("SCHEDULERD_TEST_REDIS");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "SCHEDULERD_TEST_REDIS is not set, so the Redis client tests cannot run. Run the tests "
        "with "
        "`make test`, or start a server with `eval \"$(scripts/services start /tmp/svc-$USER)\"`.");
  }
  return url;
}

// A key prefix no other test run uses, so runs sharing one Redis never see each other's counts.
std::string unique_prefix() {
  return "test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()) + ":";
}

// A loopback port nobody answers on: bound only (connections are refused), or listening but never
// reading (connections succeed, commands hang).
class silent_port {
 public:
  explicit silent_port(bool listening = false) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot reserve a loopback port");
    }
    if (listening && ::listen(fd_, 8) != 0) {
      throw std::runtime_error("cannot listen on a loopback port");
    }
    port_ = ntohs(address.sin_port);
  }
  silent_port(const silent_port&) = delete;
  silent_port& operator=(const silent_port&) = delete;
  ~silent_port() { ::close(fd_); }

  [[nodiscard]] std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // Accepts one waiting connection and resets it at once (RST, not FIN).
  void reset_next_connection() const {
    int peer = ::accept(fd_, nullptr, nullptr);
    REQUIRE(peer >= 0);
    linger abort{1, 0};
    ::setsockopt(peer, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
    ::close(peer);
  }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace

TEST_CASE("a reachable Redis answers PING", "[storage][redis]") {
  redis_client redis{test_redis_url()};
  REQUIRE_FALSE(redis.broken());
  CHECK(redis.ping());
}

TEST_CASE("a window counter counts each increment and expires within the window",
          "[storage][redis]") {
  redis_client redis{test_redis_url()};
  auto key = unique_prefix() + "ip:127.0.0.1";
  for (std::int64_t expected = 1; expected <= 3; ++expected) {
    auto counted = redis.increment_window(key, 60);
    REQUIRE(counted);
    CHECK(counted->first == expected);
    CHECK(counted->second > 0);
    CHECK(counted->second <= 60);
  }
  auto other = redis.increment_window(unique_prefix() + "ip:127.0.0.1", 5);
  REQUIRE(other);
  CHECK(other->first == 1);
  CHECK(other->second <= 5);
}

TEST_CASE("two clients on one Redis share a counter, as two nodes would", "[storage][redis]") {
  redis_client first{test_redis_url()};
  redis_client second{test_redis_url()};
  auto key = unique_prefix() + "token:17";
  REQUIRE(first.increment_window(key, 60));
  auto counted = second.increment_window(key, 60);
  REQUIRE(counted);
  CHECK(counted->first == 2);
}

TEST_CASE("an unreachable Redis fails quickly and reports itself broken", "[storage][redis]") {
  silent_port port;
  auto started = std::chrono::steady_clock::now();
  redis_client redis{port.url()};
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
  auto key = unique_prefix() + "ip:10.0.0.9";
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
  redis_client redis{port.url(), 100ms};
  CHECK_FALSE(redis.increment_window("ip:127.0.0.1", 60));
  CHECK(redis.broken());
  CHECK_FALSE(redis.ping());
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("a connection the server resets fails the command and does not kill the process",
          "[storage][redis]") {
  silent_port port{true};
  redis_client redis{port.url()};
  REQUIRE_FALSE(redis.broken());
  port.reset_next_connection();
  // Writing to a reset socket raises SIGPIPE, whose default action ends the process.
  CHECK_FALSE(redis.increment_window("ip:127.0.0.1", 60));
  CHECK(redis.broken());
  CHECK_FALSE(redis.ping());
}
