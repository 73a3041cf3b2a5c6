#include "config/private_directory.hpp"

#include <sys/stat.h>

#include <cerrno>

namespace schedulerd::config {

std::error_code create_private_directories(const std::filesystem::path& path) {
  std::error_code error;
  if (path.empty() || std::filesystem::is_directory(path, error)) return {};
  // std::filesystem::create_directories takes its mode from the umask alone (0755 under the usual
  // 022), which would let every local user list what the directory holds.
  const auto parent = path.parent_path();
  if (!parent.empty() && parent != path) {
    if (auto failed = create_private_directories(parent)) return failed;
  }
  if (::mkdir(path.c_str(), 0700) == 0) return {};
  const int cause = errno;
  // Another process (or pool worker) may have created it meanwhile; only a directory will do.
  if (cause == EEXIST && std::filesystem::is_directory(path, error)) return {};
  return std::error_code{cause, std::generic_category()};
}

}  // namespace schedulerd::config
