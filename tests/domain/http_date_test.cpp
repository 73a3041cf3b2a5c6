#include "domain/http_date.hpp"

#include <catch2/catch.hpp>

using schedulerd::domain::parse_http_date;

namespace {

// 1994-11-06T08:49:37Z, RFC 9110's example.
constexpr std::int64_t example_ms = 784'111'777'000;

}  // namespace

TEST_CASE("the three HTTP date forms all read as the same instant", "[domain]") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == example_ms);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == example_ms);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == example_ms);
  CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  CHECK(parse_http_date("Sat, 29 Feb 2028 23:59:59 GMT") == 1'835'481'599'000);
}

TEST_CASE("a malformed HTTP date is refused", "[domain]") {
  CHECK_FALSE(parse_http_date(""));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37"));        // no zone
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));    // only GMT
  CHECK_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"));    // no such day
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"));    // no such hour
  CHECK_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));    // no such month
  CHECK_FALSE(parse_http_date("Sun, 6 Nov 1994 08:49:37 GMT"));     // two-digit day
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT x"));  // trailing text
  CHECK_FALSE(parse_http_date("2025-06-15T16:00:00Z"));
}
