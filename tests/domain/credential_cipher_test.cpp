#include "domain/credential_cipher.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using schedulerd::domain::credential_cipher;

namespace {

const std::string old_key(32, 'o');
const std::string new_key(32, 'n');
constexpr std::string_view secret =
    R"({"access_token":"eyJ0.huggy.token","refresh_token":"def502"})";

}  // namespace

TEST_CASE("a sealed credential opens to the same bytes and shows none of them",
          "[domain][crypto]") {
  const credential_cipher cipher{new_key};
  const auto sealed = cipher.seal(secret, "provider:42");
  CHECK(sealed.rfind("v1.", 0) == 0);
  CHECK(sealed.find("huggy") == std::string::npos);
  CHECK(cipher.open(sealed, "provider:42") == std::string{secret});
  CHECK(cipher.open(cipher.seal("", "provider:42"), "provider:42") == std::string{});
}

TEST_CASE("sealing twice gives different texts that both open", "[domain][crypto]") {
  const credential_cipher cipher{new_key};
  const auto first = cipher.seal(secret, "provider:1");
  const auto second = cipher.seal(secret, "provider:1");
  CHECK(first != second);
  CHECK(cipher.open(first, "provider:1") == cipher.open(second, "provider:1"));
}

TEST_CASE("a sealed value copied to another row does not open there", "[domain][crypto]") {
  const credential_cipher cipher{new_key};
  const auto sealed = cipher.seal(secret, "provider:1");
  CHECK_FALSE(cipher.open(sealed, "provider:2"));
}

TEST_CASE("any change to a sealed value makes it unreadable", "[domain][crypto]") {
  const credential_cipher cipher{new_key};
  const auto sealed = cipher.seal(secret, "provider:7");
  // Flip one character at the start, the middle and the end of the payload.
  for (const auto at : {sealed.rfind('.') + 1, sealed.size() / 2 + 8, sealed.size() - 1}) {
    auto tampered = sealed;
    tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    CAPTURE(at);
    CHECK_FALSE(cipher.open(tampered, "provider:7"));
  }
  CHECK_FALSE(cipher.open(sealed.substr(0, sealed.size() - 4), "provider:7"));
  CHECK_FALSE(cipher.open("v2" + sealed.substr(2), "provider:7"));
  for (const char* garbage : {"", "v1", "v1..", "v1.00000000.", "v1.x.AAAA", "plain text"}) {
    CAPTURE(garbage);
    CHECK_FALSE(cipher.open(garbage, "provider:7"));
  }
}

TEST_CASE("after a key rotation old values still open and are marked for resealing",
          "[domain][crypto]") {
  const auto under_old = credential_cipher{old_key}.seal(secret, "provider:3");
  const credential_cipher rotated{new_key, {old_key}};
  CHECK(rotated.open(under_old, "provider:3") == std::string{secret});
  CHECK(rotated.is_stale(under_old));
  const auto resealed = rotated.seal(*rotated.open(under_old, "provider:3"), "provider:3");
  CHECK_FALSE(rotated.is_stale(resealed));
  CHECK(rotated.open(resealed, "provider:3") == std::string{secret});
}

TEST_CASE("a key that was dropped from the configuration opens nothing", "[domain][crypto]") {
  const auto under_old = credential_cipher{old_key}.seal(secret, "provider:3");
  const credential_cipher without_old{new_key};
  CHECK_FALSE(without_old.open(under_old, "provider:3"));
  CHECK_FALSE(without_old.is_stale(under_old));  // unknown, not stale: it cannot be resealed
}

TEST_CASE("keys of any length but 32 bytes are refused", "[domain][crypto]") {
  CHECK_THROWS_AS(credential_cipher{std::string(16, 'k')}, std::invalid_argument);
  CHECK_THROWS_AS((credential_cipher{new_key, {std::string(31, 'k')}}), std::invalid_argument);
}
