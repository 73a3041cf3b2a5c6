#include "domain/url_decoding.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::domain;

TEST_CASE("percent escapes decode to their bytes in either case", "[domain][url]") {
  CHECK(decode_query_component("a%20b%2Fc%2fd") == "a b/c/d");
  CHECK(decode_query_component("%C3%A9") == "\xC3\xA9");
  CHECK(decode_path_segment("a%20b") == "a b");
  CHECK(decode_query_component("") == "");
}

TEST_CASE("a plus is a space in a query string but a plus in a path", "[domain][url]") {
  CHECK(decode_query_component("ada+lovelace%2B1") == "ada lovelace+1");
  CHECK(decode_path_segment("c++") == "c++");
}

TEST_CASE("a percent sign without two hex digits is rejected", "[domain][url]") {
  for (const auto* broken : {"%", "%4", "a%zz", "%g1", "100%", "%%41"}) {
    INFO(broken);
    CHECK(decode_query_component(broken) == std::nullopt);
    CHECK(decode_path_segment(broken) == std::nullopt);
  }
}
