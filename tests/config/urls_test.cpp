#include "config/urls.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::config;

TEST_CASE("a REDIS_URL gives the host and port and database to connect to", "[config]") {
  const auto plain = parse_redis_url("redis://127.0.0.1:6380");
  REQUIRE(plain);
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == 6380);
  CHECK(plain->db == 0);

  const auto with_db = parse_redis_url("redis://cache.internal:6379/5");
  REQUIRE(with_db);
  CHECK(with_db->host == "cache.internal");
  CHECK(with_db->db == 5);

  const auto ipv6 = parse_redis_url("redis://[::1]:7000/1");
  REQUIRE(ipv6);
  CHECK(ipv6->host == "::1");
  CHECK(ipv6->port == 7000);
}

TEST_CASE("a REDIS_URL of another shape is refused", "[config]") {
  const auto text =
      GENERATE(as<std::string>{}, "redis://cache", "redis://:6379", "redis://h:0",
               "redis://h:65536", "redis://h:6379/x", "rediss://h:6379", "redis://user:pw@h:6379");
  CAPTURE(text);
  CHECK_FALSE(parse_redis_url(text));
}

TEST_CASE("an origin is only a scheme and a host with an optional port", "[config]") {
  CHECK(is_origin("https://app.example.com"));
  CHECK(is_origin("http://localhost:5173"));
  CHECK(is_origin("http://[::1]:8080"));
  CHECK_FALSE(is_origin("https://app.example.com/"));
  CHECK_FALSE(is_origin("app.example.com"));
  CHECK_FALSE(is_origin("*"));
  CHECK_FALSE(is_origin("ws://app.example.com"));
}
