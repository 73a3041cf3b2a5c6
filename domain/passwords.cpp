#include "domain/passwords.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace schedulerd::domain {
namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;
constexpr std::string_view argon2id_prefix = "$argon2id$";

}  // namespace

std::string hash_password(std::string_view password, const argon2_params& params) {
  std::array<unsigned char, salt_bytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("hash_password: no randomness available for the salt");
  }
  std::string encoded(argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                                        salt.size(), hash_bytes, Argon2_id),
                      '\0');
  const int status = argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism,
                                           password.data(), password.size(), salt.data(),
                                           salt.size(), hash_bytes, encoded.data(), encoded.size());
  if (status != ARGON2_OK) {
    throw std::runtime_error(std::string("hash_password: ") + argon2_error_message(status));
  }
  encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminator
  return encoded;
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  // Only argon2id is ever written; an argon2i/argon2d string in the table would be tampering.
  if (encoded_hash.substr(0, argon2id_prefix.size()) != argon2id_prefix) return false;
  const std::string terminated(encoded_hash);  // libargon2 wants a C string
  // libargon2 compares the digests with its own constant-time comparison.
  return ::argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void verify_against_dummy(std::string_view password, const argon2_params& params) {
  // A verification is one raw hash plus a comparison, so one raw hash with the same costs takes
  // the same time; the salt's value does not matter because the digest is thrown away.
  const std::array<unsigned char, salt_bytes> salt{};
  std::array<unsigned char, hash_bytes> digest{};
  const int status =
      argon2id_hash_raw(params.iterations, params.memory_kib, params.parallelism, password.data(),
                        password.size(), salt.data(), salt.size(), digest.data(), digest.size());
  // A rejected parameter set returns at once: answering as if the hash had run would make an
  // unknown email quicker to refuse than a wrong password, the very leak this function prevents.
  if (status != ARGON2_OK) {
    throw std::runtime_error(std::string("verify_against_dummy: ") + argon2_error_message(status));
  }
}

}  // namespace schedulerd::domain
