#include "domain/accounts.hpp"
#include "tests/support/fixed_instants.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace domain = schedulerd::domain;

using schedulerd::testing::now_ms;

namespace {

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

TEST_CASE("a name is stored trimmed of the white space around it", "[domain]") {
  CHECK(domain::normalize_name("Ada Lovelace") == "Ada Lovelace");
  CHECK(domain::normalize_name(" Ada Lovelace\t") == "Ada Lovelace");
  CHECK(domain::normalize_name("\r\n Ada  Lovelace \n") == "Ada  Lovelace");
  // White space of other scripts too, at either end, but never inside.
  CHECK(domain::normalize_name("\xC2\xA0Zo\xC3\xAB\xE3\x80\x80") == "Zo\xC3\xAB");
  CHECK(domain::normalize_name("Ada\xC2\xA0Lovelace") == "Ada\xC2\xA0Lovelace");
  CHECK(domain::normalize_name(" \t\xE2\x80\x83 ").empty());
  CHECK(domain::normalize_name("").empty());
  // What trimming keeps, a zero-width space or a stray byte, is left for validation to refuse.
  CHECK(domain::normalize_name("\xE2\x80\x8B Ada ") == "\xE2\x80\x8B Ada");
  CHECK(domain::normalize_name(" \xFF ") == "\xFF");
  CHECK(domain::normalize_name(domain::normalize_name(" Ada\t")) == "Ada");
}

TEST_CASE("a well-formed registration has no errors", "[domain]") {
  CHECK(domain::validate_registration("Alice", "alice@example.com", "correct horse").empty());
  CHECK(
      domain::validate_registration("  Zo\xC3\xAB  ", " Alice@Example.COM ", "84 tulips").empty());
  CHECK(
      domain::validate_registration(repeat("\xC3\xA9", 255), "a@b.io", repeat("xy", 512)).empty());
  // Letters of any script, spaces inside, an apostrophe and a hyphen are all part of names.
  CHECK(domain::validate_registration("Jean-Fran\xC3\xA7ois O'Brien", "a@b.io", "correct horse")
            .empty());
  CHECK(domain::validate_registration("\xE5\xB1\xB1\xE7\x94\xB0\xC2\xA0\xE5\xA4\xAA\xE9\x83\x8E",
                                      "a@b.io", "correct horse")
            .empty());  // 山田 太郎 with a no-break space
}

TEST_CASE("a name is checked as it will be stored: control characters anywhere are refused",
          "[domain]") {
  const auto name_errors = [](const std::string& name) {
    const auto errors = domain::validate_registration(name, "alice@example.com", "correct horse");
    return errors.count("name") == 1 ? errors.at("name") : std::vector<std::string>{};
  };
  // Surrounding white space is trimmed, not refused.
  CHECK(name_errors("Alice\t").empty());
  CHECK(name_errors("\r\n Alice \n").empty());
  const std::vector<std::string> control{"must not contain control characters"};
  for (const auto& name : std::vector<std::string>{
           "Al\tice", "Al\nice", "Al\x01ice", "Alice\x7f", "Al\xC2\x85ice" /* U+0085 */,
           "Al\xC2\x9Bice" /* U+009B, C1 CSI */, "Al\xE2\x80\xA8ice" /* U+2028 */}) {
    CAPTURE(name);
    CHECK(name_errors(name) == control);
  }
}

TEST_CASE("a name may not hold bidirectional controls, which can make it display as another",
          "[domain]") {
  for (const auto& name : std::vector<std::string>{
           "Ada\xE2\x80\xAAx", "Ada\xE2\x80\xABx", "Ada\xE2\x80\xACx", "Ada\xE2\x80\xADx",
           "Ada\xE2\x80\xAEgpj.exe", "Ada\xE2\x81\xA6x", "Ada\xE2\x81\xA7x", "Ada\xE2\x81\xA8x",
           "Ada\xE2\x81\xA9x", "Ada\xE2\x80\x8Ex" /* U+200E LRM */,
           "Ada\xE2\x80\x8Fx" /* U+200F RLM */, "Ada\xD8\x9Cx" /* U+061C ALM */}) {
    CAPTURE(name);
    const auto errors = domain::validate_registration(name, "ada@example.com", "correct horse");
    REQUIRE(names_only(errors, "name"));
    CHECK(errors.at("name") ==
          std::vector<std::string>{"must not contain bidirectional control characters"});
  }
}

TEST_CASE("a name may not hold zero-width or other invisible characters", "[domain]") {
  for (const auto& name : std::vector<std::string>{
           "Al\xE2\x80\x8Bice" /* U+200B */, "Al\xE2\x80\x8Cice" /* U+200C */,
           "Al\xE2\x80\x8Dice" /* U+200D */, "Al\xE2\x81\xA0ice" /* U+2060 */,
           "Al\xEF\xBB\xBFice" /* U+FEFF */, "\xEF\xBB\xBFZoe" /* a leading BOM */,
           "Al\xC2\xADice" /* U+00AD soft hyphen */, "\xE3\x85\xA4" /* U+3164, a blank name */}) {
    CAPTURE(name);
    const auto errors = domain::validate_registration(name, "ada@example.com", "correct horse");
    REQUIRE(names_only(errors, "name"));
    CHECK(errors.at("name") == std::vector<std::string>{"must not contain invisible characters"});
  }
}

TEST_CASE("a name that is only white space of any script is missing", "[domain]") {
  for (const auto& name : std::vector<std::string>{
           "\xC2\xA0" /* U+00A0 */, " \xE3\x80\x80 " /* U+3000 */, "\xE2\x80\x83\t" /* U+2003 */}) {
    CAPTURE(name);
    const auto errors = domain::validate_registration(name, "ada@example.com", "correct horse");
    REQUIRE(names_only(errors, "name"));
    CHECK(errors.at("name") == std::vector<std::string>{"is required"});
  }
}

TEST_CASE("a name that is not UTF-8 is refused", "[domain]") {
  const auto errors =
      domain::validate_registration("Al\xFFice", "ada@example.com", "correct horse");
  REQUIRE(names_only(errors, "name"));
  CHECK(errors.at("name") == std::vector<std::string>{"must be valid UTF-8"});
}

TEST_CASE("token names follow the same rules as user names", "[domain]") {
  CHECK(names_only(domain::validate_token_request("ci\xE2\x80\xAE", std::nullopt, now_ms), "name"));
  CHECK(names_only(domain::validate_token_request("c\xE2\x80\x8Bi", std::nullopt, now_ms), "name"));
  CHECK(domain::validate_token_request(" ci\t", std::nullopt, now_ms).empty());
}

TEST_CASE("a weak password is refused at registration under password", "[domain]") {
  for (const auto& password :
       std::vector<std::string>{"12345678", "password1", "PASSWORD1", "        ", "aaaaaaaa",
                                "ALICE.SMITH@example.com", "alice.smith", "alice smith"}) {
    CAPTURE(password);
    CHECK(names_only(
        domain::validate_registration("Alice Smith", "alice.smith@example.com", password),
        "password"));
  }
  CHECK(domain::validate_registration("Alice Smith", "alice.smith@example.com", "12345678")
            .at("password") == std::vector<std::string>{"is too common"});
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
  // Eight of them (not all the same one, which the policy refuses) are enough.
  CHECK(domain::validate_registration("Alice", "alice@example.com", repeat("\xC3\xA9\xC3\xA8", 4))
            .empty());
  // Four-byte characters (emoji) count once each too.
  CHECK(domain::validate_registration("Alice", "alice@example.com",
                                      repeat("\xF0\x9F\x94\x91\xF0\x9F\x94\x92", 4))
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
