#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// Another program (promtool, prometheus) running as a child of the test, its output in files.
class child_process {
 public:
  /// Starts `program args...` in `directory` with stdin from `input` (or /dev/null), stdout and
  /// stderr to files in `directory`; throws std::runtime_error when it cannot be started (for
  /// example, the program is not installed).
  child_process(const std::string& program, const std::vector<std::string>& args,
                const std::filesystem::path& directory,
                const std::optional<std::filesystem::path>& input = std::nullopt);

  /// Kills the child with SIGKILL if it still runs and reaps it.
  ~child_process();

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Waits up to `deadline` for the child to exit; returns its exit code (128 + N for signal N),
  /// or nullopt when it still runs.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);

  /// Everything the child wrote to stdout so far.
  [[nodiscard]] std::string stdout_text() const;

  /// Everything the child wrote to stderr so far.
  [[nodiscard]] std::string stderr_text() const;

 private:
  int pid_ = -1;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

/// A fresh directory under the system's temporary directory, removed with its contents.
class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  /// Where it is.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to 0, then released), for programs
/// that cannot report the port they picked themselves.
std::uint16_t free_loopback_port();

}  // namespace schedulerd::testing
