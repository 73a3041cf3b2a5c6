#pragma once

#include <unistd.h>

namespace schedulerd::config {

/// Owns a POSIX file descriptor and closes it at scope exit (a negative one is no descriptor).
class unique_fd {
 public:
  /// Takes ownership of `fd`.
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  unique_fd(unique_fd&&) = delete;
  unique_fd& operator=(unique_fd&&) = delete;
  ~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
  }

  /// The descriptor, still owned.
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace schedulerd::config
