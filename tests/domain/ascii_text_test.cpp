#include "domain/ascii_text.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::domain;

TEST_CASE("trimming drops ASCII white space at both ends only", "[domain][ascii]") {
  CHECK(trim(" \t\r\n\f\v a b \r\n") == "a b");
  CHECK(trim("   ").empty());
  CHECK(trim("").empty());
  CHECK(trim("x") == "x");
}

TEST_CASE("lower-casing changes ASCII letters and leaves other bytes alone", "[domain][ascii]") {
  CHECK(ascii_lower("Content-Type") == "content-type");
  CHECK(ascii_lower("ÉCOLE@Example.COM") == "École@example.com");
  CHECK(ascii_lower("0-9_[]@") == "0-9_[]@");
}

TEST_CASE("an email typed with spaces and capitals normalises to one spelling", "[domain][ascii]") {
  CHECK(trim_lower("  Ada@Example.COM \n") == "ada@example.com");
}
