#include "domain/credential_cipher.hpp"

#include "domain/base64.hpp"
#include "domain/secrets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace schedulerd::domain {

namespace {

constexpr std::size_t key_bytes = 32;
constexpr std::size_t nonce_bytes = 12;  // the GCM standard size (NIST SP 800-38D)
constexpr std::size_t tag_bytes = 16;
constexpr std::string_view format_version = "v1";

using cipher_context = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

cipher_context new_context() {
  cipher_context context{EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free};
  if (!context) throw std::runtime_error("OpenSSL cannot allocate a cipher context");
  return context;
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* bytes_of(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}

int length_of(std::string_view text) {
  return static_cast<int>(text.size());
}

// Names a key without revealing it: a hash under a label of its own, so the id is not a hash of
// the key that could be looked up anywhere else.
std::string key_id(std::string_view key) {
  return sha256_hex("schedulerd credential key id\n" + std::string{key}).substr(0, 8);
}

// AES-256-GCM encryption of `plaintext` with `aad` authenticated; returns ciphertext | tag.
std::string encrypt(const std::string& key, const std::string& nonce, std::string_view plaintext,
                    std::string_view aad) {
  auto context = new_context();
  std::string out(plaintext.size() + tag_bytes, '\0');
  int written = 0;
  int final_bytes = 0;
  if (EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes_of(key),
                         bytes_of(nonce)) != 1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &written, bytes_of(aad), length_of(aad)) != 1 ||
      EVP_EncryptUpdate(context.get(), bytes_of(out), &written, bytes_of(plaintext),
                        length_of(plaintext)) != 1 ||
      EVP_EncryptFinal_ex(context.get(), bytes_of(out) + written, &final_bytes) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_bytes),
                          bytes_of(out) + plaintext.size()) != 1) {
    throw std::runtime_error("OpenSSL failed to encrypt with AES-256-GCM");
  }
  return out;
}

// The inverse of encrypt; nothing when the tag does not verify.
std::optional<std::string> decrypt(const std::string& key, std::string_view nonce,
                                   std::string_view sealed, std::string_view aad) {
  const auto ciphertext = sealed.substr(0, sealed.size() - tag_bytes);
  std::string tag{sealed.substr(ciphertext.size())};
  auto context = new_context();
  std::string out(ciphertext.size(), '\0');
  int written = 0;
  int final_bytes = 0;
  if (EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes_of(key),
                         bytes_of(nonce)) != 1 ||
      EVP_DecryptUpdate(context.get(), nullptr, &written, bytes_of(aad), length_of(aad)) != 1 ||
      EVP_DecryptUpdate(context.get(), bytes_of(out), &written, bytes_of(ciphertext),
                        length_of(ciphertext)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_bytes),
                          bytes_of(tag)) != 1 ||
      EVP_DecryptFinal_ex(context.get(), bytes_of(out) + written, &final_bytes) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

// The parts of `v1.<id>.<payload>`; nothing when `sealed` does not have that shape.
struct sealed_parts {
  std::string_view key_id;
  std::string_view payload;
};

std::optional<sealed_parts> split(std::string_view sealed) {
  const auto first = sealed.find('.');
  if (first == std::string_view::npos || sealed.substr(0, first) != format_version) {
    return std::nullopt;
  }
  const auto second = sealed.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return sealed_parts{sealed.substr(first + 1, second - first - 1), sealed.substr(second + 1)};
}

}  // namespace

credential_cipher::credential_cipher(std::string current_key,
                                     std::vector<std::string> previous_keys) {
  keys_.reserve(previous_keys.size() + 1);
  previous_keys.insert(previous_keys.begin(), std::move(current_key));
  for (auto& bytes : previous_keys) {
    if (bytes.size() != key_bytes) {
      throw std::invalid_argument("an encryption key must be exactly 32 bytes");
    }
    auto id = key_id(bytes);
    keys_.push_back(key{std::move(id), std::move(bytes)});
  }
}

credential_cipher::~credential_cipher() {
  for (auto& entry : keys_) OPENSSL_cleanse(entry.bytes.data(), entry.bytes.size());
}

std::string credential_cipher::seal(std::string_view plaintext, std::string_view context) const {
  const auto& current = keys_.front();
  std::string nonce(nonce_bytes, '\0');
  if (RAND_bytes(bytes_of(nonce), static_cast<int>(nonce.size())) != 1) {
    throw std::runtime_error("OpenSSL has no randomness for a nonce");
  }
  const auto body = encrypt(current.bytes, nonce, plaintext, context);
  return std::string{format_version} + "." + current.id + "." + base64url_encode(nonce + body);
}

std::optional<std::string> credential_cipher::open(std::string_view sealed,
                                                   std::string_view context) const {
  const auto parts = split(sealed);
  if (!parts) return std::nullopt;
  const key* known = find(parts->key_id);
  if (known == nullptr) return std::nullopt;
  const auto raw = base64url_decode(parts->payload);
  if (!raw || raw->size() < nonce_bytes + tag_bytes) return std::nullopt;
  const std::string_view view{*raw};
  return decrypt(known->bytes, view.substr(0, nonce_bytes), view.substr(nonce_bytes), context);
}

bool credential_cipher::is_stale(std::string_view sealed) const {
  const auto parts = split(sealed);
  return parts && parts->key_id != keys_.front().id && find(parts->key_id) != nullptr;
}

const credential_cipher::key* credential_cipher::find(std::string_view id) const {
  for (const auto& entry : keys_) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

}  // namespace schedulerd::domain
