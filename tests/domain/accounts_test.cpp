#include "domain/accounts.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace domain = schedulerd::domain;

namespace {

constexpr std::int64_t now_ms = 1'780'000'000'000;  // 2026-05-28
constexpr std::int64_t day_ms = std::int64_t{24} * 60 * 60 * 1000;

bool names_only(const schedulerd::field_errors& errors, const std::string& field) {
  return errors.size() == 1 && errors.count(field) == 1 && !errors.at(field).empty();
}

// "é" is two bytes in UTF-8, so n of them are 2n bytes but n characters.
std::string repeat(const std::string& text, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += text;
  return out;
}

}  // namespace

TEST_CASE("emails are trimmed and lower-cased so one address cannot register twice", "[domain]") {
  CHECK(domain::normalize_email("  Alice.Smith@Example.COM \t") == "alice.smith@example.com");
  CHECK(domain::normalize_email("bob@example.com") == "bob@example.com");
  CHECK(domain::normalize_email("").empty());
  // Non-ASCII letters are left as typed: their case mapping depends on a locale.
  CHECK(domain::normalize_email("J\xC3\x89R\xC3\x94ME@Example.fr") ==
        "j\xC3\x89r\xC3\x94me@example.fr");
}

TEST_CASE("a well-formed registration has no errors", "[domain]") {
  CHECK(domain::validate_registration("Alice", "alice@example.com", "correct horse").empty());
  CHECK(domain::validate_registration("  Zo\xC3\xAB  ", " Alice@Example.COM ", "12345678").empty());
  CHECK(
      domain::validate_registration(repeat("\xC3\xA9", 255), "a@b.io", repeat("x", 1024)).empty());
}

TEST_CASE("each invalid registration field is reported under its own name", "[domain]") {
  const std::string good_name = "Alice";
  const std::string good_email = "alice@example.com";
  const std::string good_password = "correct horse";

  SECTION("name") {
    for (const auto& name : std::vector<std::string>{"", "   \t", repeat("n", 256),
                                                     repeat("\xC3\xA9", 256), "Al\x01ice"}) {
      CAPTURE(name);
      CHECK(names_only(domain::validate_registration(name, good_email, good_password), "name"));
    }
  }
  SECTION("email") {
    for (const auto& email : std::vector<std::string>{
             "", "   ", "alice", "alice@", "@example.com", "alice@example", "alice@@example.com",
             "a@b@example.com", "alice smith@example.com", "alice@exa mple.com", "alice@example.c",
             "alice@.example.com", "alice@example.com.", "alice@example..com",
             "alice\x7f@example.com", repeat("a", 65) + "@example.com",
             repeat("a", 64) + "@" + repeat("b", 186) + ".com"}) {
      CAPTURE(email);
      CHECK(names_only(domain::validate_registration(good_name, email, good_password), "email"));
    }
  }
  SECTION("password") {
    for (const auto& password :
         std::vector<std::string>{"", "1234567", repeat("\xC3\xA9", 7), repeat("x", 1025)}) {
      CAPTURE(password);
      CHECK(names_only(domain::validate_registration(good_name, good_email, password), "password"));
    }
  }
}

TEST_CASE("a password's length counts characters, not bytes", "[domain]") {
  // Seven two-byte characters are fourteen bytes but still too short.
  const auto errors =
      domain::validate_registration("Alice", "alice@example.com", repeat("\xC3\xA9", 7));
  REQUIRE(errors.count("password") == 1);
  CHECK(errors.at("password") == std::vector<std::string>{"must be at least 8 characters"});
  CHECK(domain::validate_registration("Alice", "alice@example.com", repeat("\xC3\xA9", 8)).empty());
  // Four-byte characters (emoji) count once each too.
  CHECK(domain::validate_registration("Alice", "alice@example.com", repeat("\xF0\x9F\x94\x91", 8))
            .empty());
}

TEST_CASE("all invalid registration fields are reported together", "[domain]") {
  const auto errors = domain::validate_registration("", "nope", "short");
  CHECK(errors.count("name") == 1);
  CHECK(errors.count("email") == 1);
  CHECK(errors.count("password") == 1);
}

TEST_CASE("a token request needs a name and a future expiry within ten years", "[domain]") {
  CHECK(domain::validate_token_request("deploy bot", std::nullopt, now_ms).empty());
  CHECK(domain::validate_token_request("  ci  ", now_ms + 1, now_ms).empty());
  CHECK(domain::validate_token_request("ci", now_ms + 3652 * day_ms, now_ms).empty());

  for (const auto& name : std::vector<std::string>{"", "  ", repeat("t", 256)}) {
    CAPTURE(name);
    CHECK(names_only(domain::validate_token_request(name, std::nullopt, now_ms), "name"));
  }
  for (const std::int64_t expires_at : {now_ms, now_ms - 1, std::int64_t{0}}) {
    CAPTURE(expires_at);
    const auto errors = domain::validate_token_request("ci", expires_at, now_ms);
    REQUIRE(names_only(errors, "expires_at"));
    CHECK(errors.at("expires_at") == std::vector<std::string>{"must be in the future"});
  }
  CHECK(names_only(domain::validate_token_request("ci", now_ms + 3654 * day_ms, now_ms),
                   "expires_at"));
}
