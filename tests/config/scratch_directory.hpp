#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace schedulerd::config::testing {

/// A fresh directory under the system temp directory, removed with its contents at scope exit.
class scratch_directory {
 public:
  scratch_directory() {
    auto pattern = (std::filesystem::temp_directory_path() / "schedulerd-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  scratch_directory(const scratch_directory&) = delete;
  scratch_directory& operator=(const scratch_directory&) = delete;
  ~scratch_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  /// The path of `name` inside the directory.
  [[nodiscard]] std::string operator/(const std::string& name) const {
    return (path_ / name).string();
  }

  /// Writes `text` to `name` inside the directory and returns the file's path.
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    auto path = *this / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace schedulerd::config::testing
