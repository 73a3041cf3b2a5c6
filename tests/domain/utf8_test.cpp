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

TEST_CASE("code points are read with their length, and a stray byte as U+FFFD", "[domain][utf8]") {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x91\xFF";  // a é € 🔑, stray byte
  const auto a = domain::read_code_point(text, 0);
  CHECK((a.code_point == U'a' && a.length == 1 && a.well_formed));
  const auto e = domain::read_code_point(text, 1);
  CHECK((e.code_point == U'\u00E9' && e.length == 2 && e.well_formed));
  const auto euro = domain::read_code_point(text, 3);
  CHECK((euro.code_point == U'\u20AC' && euro.length == 3 && euro.well_formed));
  const auto key = domain::read_code_point(text, 6);
  CHECK((key.code_point == U'\U0001F511' && key.length == 4 && key.well_formed));
  const auto stray = domain::read_code_point(text, 10);
  CHECK((stray.code_point == U'\uFFFD' && stray.length == 1 && !stray.well_formed));
  // A sequence cut short by the end of the text is one stray byte at a time.
  const auto cut = domain::read_code_point("\xE2\x82", 0);
  CHECK((cut.length == 1 && !cut.well_formed));
}
