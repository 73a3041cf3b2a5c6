#pragma once

#include <sys/stat.h>

namespace schedulerd::testing {

/// Sets the process umask for the scope of the object and restores the previous one after.
class scoped_umask {
 public:
  /// Makes `mask` the umask until the object goes out of scope.
  explicit scoped_umask(mode_t mask) : previous_(::umask(mask)) {}
  ~scoped_umask() { ::umask(previous_); }
  scoped_umask(const scoped_umask&) = delete;
  scoped_umask& operator=(const scoped_umask&) = delete;

 private:
  mode_t previous_;
};

/// The permission bits of `path` (-1 when it cannot be stat-ed).
inline int permissions_of(const char* path) {
  struct stat info {};
  return ::stat(path, &info) == 0 ? static_cast<int>(info.st_mode & 07777) : -1;
}

}  // namespace schedulerd::testing
