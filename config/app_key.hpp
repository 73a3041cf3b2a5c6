#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace schedulerd::config {

/// The length in bytes of APP_KEY (an AES-256 key).
inline constexpr std::size_t app_key_size = 32;

/// Decodes an APP_KEY value, base64 of 32 bytes with an optional `base64:` prefix, to raw bytes.
std::optional<std::string> decode_app_key(std::string_view text);

/// The key held in `<VAR_DIR>/app.key`, and whether this start created it.
struct key_file {
  /// The 32 raw key bytes.
  std::string key;
  /// The file's path, for messages.
  std::string path;
  /// True when the file did not exist and a fresh random key was written to it.
  bool generated = false;
};

/// Reads `<var_dir>/app.key`, or creates it with mode 0600 holding a random key (and `var_dir`, if
/// missing, with mode 0700); returns an error message when the file is unreadable, malformed or
/// cannot be written.
std::variant<key_file, std::string> load_or_generate_key_file(const std::string& var_dir);

}  // namespace schedulerd::config
