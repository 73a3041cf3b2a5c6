#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// Environment variables given to a child, on top of PATH.
using environment = std::map<std::string, std::string>;

/// What a short command left behind.
struct completed_process {
  /// The exit code, 128 + N when signal N ended it, or -1 when it was killed at the deadline.
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

/// The real `schedulerd` binary running as a child process, for functional (end-to-end) tests.
///
/// The child gets a clean environment (PATH plus `env`), HTTP_PORT=0 and VAR_DIR in a fresh
/// temporary directory unless `env` says otherwise, runs inside that directory (so no stray `.env`
/// is read), reads /dev/null and writes stdout and stderr to files there.
class service_process {
 public:
  /// Starts `schedulerd args...` and waits up to 20 s for its "listening on" line; throws
  /// std::runtime_error (with the child's stderr) when it exits or stays silent instead.
  explicit service_process(environment env, std::vector<std::string> args = {"serve"});

  /// Kills the child with SIGKILL if it still runs, reaps it and removes its directory.
  ~service_process();

  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  /// The URL the service announced, e.g. "http://127.0.0.1:41234", without a trailing slash.
  [[nodiscard]] const std::string& base_url() const;

  /// The child's process id, e.g. to read /proc/PID/status.
  [[nodiscard]] int pid() const noexcept;

  /// Sends signal `sig` to the child; does nothing once it has been reaped.
  void signal(int sig);

  /// Waits up to `deadline` for the child to exit; returns its exit code (as in completed_process)
  /// or nullopt when it still runs.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);

  /// Everything the child wrote to stdout so far.
  [[nodiscard]] std::string stdout_text() const;

  /// Everything the child wrote to stderr so far.
  [[nodiscard]] std::string stderr_text() const;

  /// Runs `schedulerd args...` prepared the same way (without waiting for a listening line) until
  /// it exits or `deadline` passes, when it is killed.
  static completed_process run_to_completion(environment env, std::vector<std::string> args,
                                             std::chrono::milliseconds deadline);

 private:
  class child;

  std::unique_ptr<child> child_;
  std::string base_url_;
};

}  // namespace schedulerd::testing
