#include "domain/secrets.hpp"

#include "domain/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <stdexcept>

namespace schedulerd::domain {
namespace {

// 256 bits: RFC 7636 recommends a 32-octet verifier, and it makes tokens unguessable.
constexpr std::size_t secret_bytes = 32;

using sha256_digest = std::array<unsigned char, 32>;

sha256_digest sha256(std::string_view text) {
  sha256_digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("sha256: OpenSSL could not compute the digest");
  }
  return digest;
}

}  // namespace

std::string generate_api_token() {
  return std::string(api_token_prefix) + random_urlsafe(secret_bytes);
}

std::string sha256_hex(std::string_view text) {
  static constexpr std::string_view hex = "0123456789abcdef";
  const auto digest = sha256(text);
  std::string out;
  out.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    out += hex[byte >> 4];
    out += hex[byte & 15];
  }
  return out;
}

std::string random_urlsafe(std::size_t bytes) {
  if (bytes > INT_MAX) throw std::length_error("random_urlsafe: too many bytes requested");
  std::string raw(bytes, '\0');
  if (bytes > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("random_urlsafe: no randomness available");
  }
  return base64url_encode(raw);
}

std::string generate_pkce_verifier() {
  return random_urlsafe(secret_bytes);
}

std::string pkce_challenge(std::string_view verifier) {
  const auto digest = sha256(verifier);
  return base64url_encode({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Only the length can leak, and the secrets compared here all have a fixed, public length.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace schedulerd::domain
