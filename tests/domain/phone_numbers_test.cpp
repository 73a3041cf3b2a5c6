#include "domain/phone_numbers.hpp"

#include <catch2/catch.hpp>

#include <string>

using schedulerd::domain::other_brazilian_mobile_form;

TEST_CASE("a Brazilian mobile number has a form with and one without the ninth digit",
          "[domain][phone]") {
  CHECK(other_brazilian_mobile_form("5562987654321") == std::string{"556287654321"});
  CHECK(other_brazilian_mobile_form("556287654321") == std::string{"5562987654321"});
  CHECK(other_brazilian_mobile_form("551161234567") == std::string{"5511961234567"});
  CHECK(other_brazilian_mobile_form("5511999998888") == std::string{"551199998888"});
}

TEST_CASE("landlines, other countries and malformed numbers have no other form",
          "[domain][phone]") {
  for (const auto* digits : {
           "551132654321",    // a São Paulo landline (starts with 3)
           "556225551234",    // a Goiânia landline (starts with 2)
           "5511887654321",   // 13 digits without the ninth digit: no such number
           "14155550123",     // the United States
           "4915123456789",   // Germany, 13 digits
           "5501987654321",   // no area code starts with 0
           "5510987654321",   // nor ends with 0
           "55629876543210",  // too long
           "5562987654",      // too short
           "+5562987654321",  // not bare digits
           "",
       }) {
    CAPTURE(digits);
    CHECK_FALSE(other_brazilian_mobile_form(digits));
  }
}
