#include "domain/utf8.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace domain = schedulerd::domain;

TEST_CASE("code points are counted, not bytes", "[domain][utf8]") {
  CHECK(domain::code_points("") == 0);
  CHECK(domain::code_points("plain") == 5);
  CHECK(domain::code_points("ol\xC3\xA1") == 3);                        // olá
  CHECK(domain::code_points("\xE2\x82\xAC 5") == 3);                    // € 5
  CHECK(domain::code_points("\xF0\x9F\x98\x80\xF0\x9F\x98\x80") == 2);  // two emoji
}

TEST_CASE("a prefix never cuts a character in half", "[domain][utf8]") {
  const std::string euro = "ab\xE2\x82\xAC";  // 2 ASCII bytes, then a 3-byte character
  CHECK(domain::utf8_prefix(euro, 10) == euro);
  CHECK(domain::utf8_prefix(euro, 5) == euro);
  CHECK(domain::utf8_prefix(euro, 4) == "ab");
  CHECK(domain::utf8_prefix(euro, 3) == "ab");
  CHECK(domain::utf8_prefix(euro, 2) == "ab");
  CHECK(domain::utf8_prefix(euro, 0).empty());
}

TEST_CASE("stray bytes become question marks and well-formed text is kept", "[domain][utf8]") {
  CHECK(domain::valid_utf8("ol\xC3\xA1 \xE2\x82\xAC") == "ol\xC3\xA1 \xE2\x82\xAC");
  CHECK(domain::valid_utf8("a\xFFz") == "a?z");
  CHECK(domain::valid_utf8("cut \xE2\x82") == "cut ??");
  CHECK(domain::valid_utf8("\xC0\xAF") == "??");            // overlong '/'
  CHECK(domain::valid_utf8("\xED\xA0\x80") == "???");       // a UTF-16 surrogate
  CHECK(domain::valid_utf8("\xF4\x90\x80\x80") == "????");  // above U+10FFFF
  CHECK(domain::valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
}
