#include "config/text_file.hpp"

#include <array>
#include <cstdio>
#include <memory>

namespace schedulerd::config {

std::optional<std::string> read_text_file(const std::filesystem::path& path) {
  const std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                                &std::fclose);
  if (!file) return std::nullopt;
  std::string text;
  std::array<char, 4096> buffer{};
  std::size_t count = 0;
  while ((count = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    text.append(buffer.data(), count);
  }
  // A directory opens fine on Linux; only the read reports EISDIR.
  if (std::ferror(file.get()) != 0) return std::nullopt;
  return text;
}

}  // namespace schedulerd::config
