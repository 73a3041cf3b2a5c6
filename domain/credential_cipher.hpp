#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::domain {

/// Seals secrets (provider credentials) with AES-256-GCM under the current APP_KEY and opens what
/// was sealed under it or under a previous key (APP_PREVIOUS_KEYS), so the key can rotate while
/// old rows are still readable.
///
/// A sealed value reads `v1.<key id>.<base64url(nonce | ciphertext | tag)>`: the key id (8 hex
/// digits derived from the key, never the key) says which key opens it, the 96-bit nonce is random
/// per seal, and the context given to seal (e.g. "provider:42") is authenticated with it, so a
/// value copied to another row or field does not open there.
class credential_cipher {
 public:
  /// Takes 32-byte raw keys; throws std::invalid_argument for any other length.
  explicit credential_cipher(std::string current_key, std::vector<std::string> previous_keys = {});

  /// Copies share no state but the keys.
  credential_cipher(const credential_cipher&) = default;

  /// Copies share no state but the keys.
  credential_cipher& operator=(const credential_cipher&) = default;

  /// Moves the keys.
  credential_cipher(credential_cipher&&) noexcept = default;

  /// Moves the keys.
  credential_cipher& operator=(credential_cipher&&) noexcept = default;

  /// Wipes the keys from memory.
  ~credential_cipher();

  /// Encrypts `plaintext` under the current key, bound to `context`.
  [[nodiscard]] std::string seal(std::string_view plaintext, std::string_view context) const;

  /// Decrypts `sealed`; nothing when it is malformed, tampered with, sealed for another context,
  /// or under a key this cipher does not hold.
  [[nodiscard]] std::optional<std::string> open(std::string_view sealed,
                                                std::string_view context) const;

  /// Whether `sealed` is under a previous key, so it should be sealed again under the current one.
  [[nodiscard]] bool is_stale(std::string_view sealed) const;

 private:
  struct key {
    std::string id;
    std::string bytes;
  };

  [[nodiscard]] const key* find(std::string_view id) const;

  std::vector<key> keys_;  // the current key first
};

}  // namespace schedulerd::domain
