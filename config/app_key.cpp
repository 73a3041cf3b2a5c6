#include "config/app_key.hpp"

#include "config/private_directory.hpp"
#include "config/text_file.hpp"
#include "config/unique_fd.hpp"
#include "domain/base64.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace schedulerd::config {

namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

std::variant<key_file, std::string> read_key_file(const std::filesystem::path& path) {
  auto content = read_text_file(path);
  if (!content) return "cannot read " + path.string();
  content->erase(content->find_last_not_of(" \t\r\n") + 1);
  auto key = decode_app_key(*content);
  if (!key) return path.string() + " does not hold base64 of 32 bytes";
  return key_file{std::move(*key), path.string(), false};
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

std::variant<key_file, std::string> generate_key_file(const std::filesystem::path& path) {
  std::string key(app_key_size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return "cannot generate a random key";
  }
  // O_EXCL with the mode given at creation: the key is never readable by others, not even
  // briefly, and a key another process just wrote is never overwritten.
  const unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return "cannot create " + path.string() + ": " + errno_text(errno);
  if (!write_all(fd.get(), domain::base64_encode(key) + "\n") || ::fsync(fd.get()) != 0) {
    const auto error = errno_text(errno);
    // A half-written key file would make every later start fail.
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return "cannot write " + path.string() + ": " + error;
  }
  return key_file{std::move(key), path.string(), true};
}

}  // namespace

std::optional<std::string> decode_app_key(std::string_view text) {
  constexpr std::string_view prefix = "base64:";
  if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
  auto key = domain::base64_decode(text);
  if (!key || key->size() != app_key_size) return std::nullopt;
  return key;
}

std::variant<key_file, std::string> load_or_generate_key_file(const std::string& var_dir) {
  const auto path = std::filesystem::path(var_dir) / "app.key";
  std::error_code error;
  if (std::filesystem::exists(path, error)) return read_key_file(path);
  if (auto failed = create_private_directories(var_dir)) {
    return "cannot create " + var_dir + ": " + failed.message();
  }
  return generate_key_file(path);
}

}  // namespace schedulerd::config
