#include "domain/base64.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::domain;

TEST_CASE("base64 matches the RFC 4648 test vectors both ways", "[domain]") {
  const auto [plain, encoded] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  }));
  CHECK(base64_encode(plain) == encoded);
  CHECK(base64_decode(encoded) == plain);
}

TEST_CASE("base64 round-trips binary bytes including zeros", "[domain]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  CHECK(base64_decode(base64_encode(bytes)) == bytes);
  // Trailing zero bytes and '=' padding look alike to OpenSSL's decoder.
  CHECK(base64_decode("AA==") == std::string(1, '\0'));
  CHECK(base64_decode("AAA=") == std::string(2, '\0'));
  CHECK(base64_decode("AAAA") == std::string(3, '\0'));
}

TEST_CASE("base64 rejects anything but canonical padded text", "[domain]") {
  const auto text =
      GENERATE(as<std::string>{}, "Zg", "Zg=", "Zg===", "Z===", "====", "Zm=v", " Zm9v", "Zm9v\n",
               "Zm9v Zm9v", "Zm9-", "Zm9_", "Zm9v!A==", "Zh==", "Zm9=");
  CAPTURE(text);
  CHECK_FALSE(base64_decode(text).has_value());
}

TEST_CASE("base64url has no padding and no characters that need escaping in a URL", "[domain]") {
  const std::string bytes("\xFB\xFF\xBF\x00\x01", 5);
  CHECK(base64url_encode(bytes) == "-_-_AAE");
  CHECK(base64url_decode("-_-_AAE") == bytes);
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_decode("Zg") == "f");
  CHECK(base64url_decode("").value().empty());
}

TEST_CASE("base64url rejects the standard alphabet, padding and impossible lengths", "[domain]") {
  const auto text =
      GENERATE(as<std::string>{}, "Zg==", "+/8", "Zm9v/", "Z", "Zm9vY", "Zm 9v", "Zh", "Zm9");
  CAPTURE(text);
  CHECK_FALSE(base64url_decode(text).has_value());
}
