#include "domain/password_policy.hpp"
#include "domain/common_passwords.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

namespace domain = schedulerd::domain;

namespace {

constexpr std::string_view email = "ada.lovelace@example.com";
constexpr std::string_view name = "Ada Lovelace";

std::optional<std::string> problem(std::string_view password) {
  return domain::password_problem(password, email, name);
}

std::string repeated(const std::string& text, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += text;
  return out;
}

}  // namespace

TEST_CASE("a long passphrase and an unremarkable password pass the policy", "[domain][password]") {
  CHECK(problem("correct horse battery staple") == std::nullopt);
  CHECK(problem("84 tulips") == std::nullopt);
  CHECK(problem("my cat eats lasagne on tuesdays") == std::nullopt);
  // No composition rules: lower-case letters only, digits only or symbols only are all fine.
  CHECK(problem("zqxjvbnmwe") == std::nullopt);
  CHECK(problem("90210417355") == std::nullopt);
  CHECK(problem(repeated("\xC3\xA7\xC3\xA3o", 3)) == std::nullopt);  // "ção" three times
  CHECK(problem(repeated("ab", 512)) == std::nullopt);               // 1024 bytes
}

TEST_CASE("a password needs 8 characters, counted as code points, and at most 1024 bytes",
          "[domain][password]") {
  CHECK(problem("") == "is required");
  CHECK(problem("1234567") == "must be at least 8 characters");
  CHECK(problem("x9!k2Lm") == "must be at least 8 characters");
  // Seven two-byte characters are fourteen bytes and still seven characters.
  CHECK(problem(repeated("\xC3\xA9", 7)) == "must be at least 8 characters");
  CHECK(problem(repeated("\xC3\xA9", 4) + "zqxj") == std::nullopt);
  CHECK(problem(repeated("ab", 512) + "c") == "must be at most 1024 bytes");
}

TEST_CASE("spaces around a password do not count towards its length", "[domain][password]") {
  // Otherwise "  123456  " would pass: the list holds only passwords of 8 or more characters.
  CHECK(problem("  123456  ") == "must be at least 8 characters without the spaces around it");
  CHECK(problem(" zqxjvbn\t") == "must be at least 8 characters without the spaces around it");
  CHECK(problem(" zqxjvbnm ") == std::nullopt);
  CHECK(problem("zq xj vb") == std::nullopt);  // spaces inside count
}

TEST_CASE("the length rule is judged first", "[domain][password]") {
  // Short, common and repeated all at once: the user first needs to hear that it is too short.
  CHECK(problem("aaaa") == "must be at least 8 characters");
  CHECK(problem("123456") == "must be at least 8 characters");
  CHECK(problem("   ") == "must be at least 8 characters");
}

TEST_CASE("a password of white space only is refused", "[domain][password]") {
  CHECK(problem("        ") == "must not be only white space");
  CHECK(problem(" \t \t \t \t") == "must not be only white space");
  CHECK(problem(repeated("\xC2\xA0", 8)) == "must not be only white space");  // no-break spaces
}

TEST_CASE("a password that is one character repeated is refused", "[domain][password]") {
  CHECK(problem("aaaaaaaa") == "must not be one character repeated");
  CHECK(problem("ZzZzZzZzZz") == "must not be one character repeated");
  CHECK(problem(repeated("\xC3\xA9", 9)) == "must not be one character repeated");
  CHECK(problem(repeated("\xF0\x9F\x94\x91", 8)) == "must not be one character repeated");
  CHECK(problem("aaaaaaab") == std::nullopt);
}

TEST_CASE("a password on the common-password list is refused whatever its letter case",
          "[domain][password]") {
  for (const auto* password : {"12345678", "password", "password1", "PASSWORD1", "Password1",
                               "qwertyuiop", "iloveyou1", "1qaz2wsx", " password1 "}) {
    CAPTURE(password);
    CHECK(problem(password) == "is too common");
  }
}

TEST_CASE("a password equal to the account's email, its local part or its name is refused",
          "[domain][password]") {
  CHECK(problem("ada.lovelace@example.com") == "must not match your email address");
  CHECK(problem("ADA.Lovelace@Example.com") == "must not match your email address");
  CHECK(problem("ada.lovelace") == "must not match your email address");
  CHECK(problem("Ada Lovelace") == "must not match your name");
  CHECK(problem("ada lovelace ") == "must not match your name");
  // Containing them is allowed: the rule is about the whole password.
  CHECK(problem("ada lovelace writes programs") == std::nullopt);
  // An account without an email or a name yet compares with nothing.
  CHECK(domain::password_problem("ada.lovelace", "", "") == std::nullopt);
}

TEST_CASE("the embedded common-password list is loaded whole and each entry is found",
          "[domain][password]") {
  CHECK(domain::common_password_count() == 3534);
  CHECK(domain::common_passwords_text().find("MIT") != std::string_view::npos);
  std::size_t entries = 0;
  auto text = domain::common_passwords_text();
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    ++entries;
    CHECK(line.size() >= domain::min_password_chars);
    if (!domain::is_common_password(line)) FAIL_CHECK("not found: " << line);
  }
  CHECK(entries == domain::common_password_count());
  CHECK_FALSE(domain::is_common_password("correct horse battery staple"));
  CHECK_FALSE(domain::is_common_password(""));
}
