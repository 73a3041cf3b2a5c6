#include "domain/secrets.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace domain = schedulerd::domain;

namespace {

bool is_base64url(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

TEST_CASE("API tokens are sd_ plus 43 base64url characters and never repeat", "[domain]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto token = domain::generate_api_token();
    REQUIRE(token.size() == 46);
    REQUIRE(token.rfind("sd_", 0) == 0);
    REQUIRE(is_base64url(token.substr(3)));
    seen.insert(token);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors", "[domain]") {
  CHECK(domain::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(domain::sha256_hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("random_urlsafe gives unpadded base64url of the requested number of bytes", "[domain]") {
  CHECK(domain::random_urlsafe(0).empty());
  CHECK(domain::random_urlsafe(1).size() == 2);
  CHECK(domain::random_urlsafe(2).size() == 3);
  CHECK(domain::random_urlsafe(3).size() == 4);
  CHECK(domain::random_urlsafe(32).size() == 43);
  const auto text = domain::random_urlsafe(300);
  CHECK(text.size() == 400);
  CHECK(is_base64url(text));
  CHECK(domain::random_urlsafe(16) != domain::random_urlsafe(16));
}

TEST_CASE("PKCE verifiers are valid and challenges match RFC 7636 appendix B", "[domain]") {
  CHECK(domain::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const auto verifier = domain::generate_pkce_verifier();
  CHECK(verifier.size() >= 43);
  CHECK(verifier.size() <= 128);
  CHECK(is_base64url(verifier));  // a subset of RFC 7636's unreserved characters
  CHECK(domain::generate_pkce_verifier() != verifier);
  CHECK(domain::pkce_challenge(verifier).size() == 43);
}

TEST_CASE("constant_time_equal agrees with ordinary equality", "[domain]") {
  CHECK(domain::constant_time_equal("", ""));
  CHECK(domain::constant_time_equal("secret", "secret"));
  CHECK_FALSE(domain::constant_time_equal("secret", "secreT"));
  CHECK_FALSE(domain::constant_time_equal("secret", "secret!"));
  CHECK_FALSE(domain::constant_time_equal("", "x"));
  CHECK(domain::constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  CHECK_FALSE(domain::constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}
