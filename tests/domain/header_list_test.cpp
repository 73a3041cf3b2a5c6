#include "domain/header_list.hpp"
#include "domain/url_encoding.hpp"

#include <catch2/catch.hpp>

using schedulerd::domain::find_header;
using schedulerd::domain::header_list;
using schedulerd::domain::url_encode;

TEST_CASE("the first header of a name is found, a missing one is not", "[domain][header_list]") {
  const header_list headers{{"content-type", "text/plain"}, {"x-a", "1"}, {"x-a", "2"}};
  CHECK(find_header(headers, "content-type") == "text/plain");
  CHECK(find_header(headers, "x-a") == "1");
  CHECK_FALSE(find_header(headers, "accept"));
}

TEST_CASE("a URL component keeps unreserved characters and escapes the rest", "[domain][url]") {
  CHECK(url_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
}
