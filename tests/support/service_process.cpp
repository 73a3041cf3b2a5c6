#include "tests/support/service_process.hpp"

#include "tests/support/traffic_recorder.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#ifndef SCHEDULERD_BINARY
#error "SCHEDULERD_BINARY must name the schedulerd executable under test"
#endif

namespace schedulerd::testing {

namespace {

using namespace std::chrono_literals;

constexpr auto startup_deadline = 20s;
constexpr auto poll_interval = 5ms;
constexpr std::string_view listening_prefix = "schedulerd listening on ";

// A fresh directory for one child, removed with everything in it.
class temp_directory {
 public:
  temp_directory() {
    auto pattern = (std::filesystem::temp_directory_path() / "schedulerd-e2e-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    }
    path_ = pattern;
  }
  temp_directory(const temp_directory&) = delete;
  temp_directory& operator=(const temp_directory&) = delete;
  ~temp_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// posix_spawn's C handles, released on every path out.
struct spawn_setup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};

  spawn_setup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
  ~spawn_setup() {
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
  }
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> child_environment(environment env, const std::filesystem::path& dir) {
  const char* path = std::getenv("PATH");
  env.emplace("PATH", path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  env.emplace("HTTP_PORT", "0");
  env.emplace("VAR_DIR", (dir / "var").string());
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) {
    out.emplace_back(name).append("=").append(value);
  }
  return out;
}

std::vector<char*> pointers_to(std::vector<std::string>& items) {
  std::vector<char*> out;
  out.reserve(items.size() + 1);
  for (auto& item : items) {
    out.push_back(item.data());
  }
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace

class service_process::child {
 public:
  child(environment env, std::vector<std::string> args) {
    auto variables = child_environment(std::move(env), dir_.path());
    args.insert(args.begin(), SCHEDULERD_BINARY);
    auto argv = pointers_to(args);
    auto envp = pointers_to(variables);
    auto out_path = stdout_path().string();
    auto err_path = stderr_path().string();
    auto work_dir = dir_.path().string();

    spawn_setup setup;
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&setup.actions, 2, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&setup.actions, work_dir.c_str());
    // Sockets of the test (proxies, taken ports, curl) must not live on inside the service.
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    // The test runner may block or ignore signals; the service must start with the defaults.
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2}) {
      sigaddset(&defaults, sig);
    }
    posix_spawnattr_setsigmask(&setup.attributes, &none);
    posix_spawnattr_setsigdefault(&setup.attributes, &defaults);
    posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    int failed = ::posix_spawn(&pid_, argv.front(), &setup.actions, &setup.attributes, argv.data(),
                               envp.data());
    if (failed != 0) {
      throw std::system_error(failed, std::generic_category(),
                              std::string{"posix_spawn "} + SCHEDULERD_BINARY);
    }
  }

  child(const child&) = delete;
  child& operator=(const child&) = delete;

  ~child() {
    if (!exit_code_) {
      ::kill(pid_, SIGKILL);
      reap(0);
    }
  }

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  [[nodiscard]] std::filesystem::path stdout_path() const { return dir_.path() / "stdout.log"; }
  [[nodiscard]] std::filesystem::path stderr_path() const { return dir_.path() / "stderr.log"; }

  void signal(int sig) {
    if (!exit_code_) {
      ::kill(pid_, sig);
    }
  }

  // Reaps the child if it has exited (or, with flags 0, once it exits).
  bool reap(int flags) {
    if (exit_code_) {
      return true;
    }
    int status = 0;
    pid_t done = 0;
    do {
      done = ::waitpid(pid_, &status, flags);
    } while (done < 0 && errno == EINTR);
    if (done == pid_) {
      exit_code_ = decode_status(status);
    } else if (done < 0) {
      exit_code_ = -1;  // not our child any more (ECHILD): nothing left to wait for
    }
    return exit_code_.has_value();
  }

  std::optional<int> wait_exit(std::chrono::milliseconds deadline) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (!reap(WNOHANG)) {
      if (std::chrono::steady_clock::now() >= until) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(poll_interval);
    }
    return exit_code_;
  }

  // Polls stdout for the announcement and returns the URL in it.
  std::string wait_for_listening() {
    auto until = std::chrono::steady_clock::now() + startup_deadline;
    while (std::chrono::steady_clock::now() < until) {
      auto text = read_file(stdout_path());
      auto at = text.find(listening_prefix);
      auto end = at == std::string::npos ? at : text.find('\n', at);
      if (end != std::string::npos) {
        auto start = at + listening_prefix.size();
        return text.substr(start, end - start);
      }
      if (reap(WNOHANG)) {
        throw std::runtime_error("schedulerd exited with code " + std::to_string(*exit_code_) +
                                 " before listening; stderr:\n" + read_file(stderr_path()));
      }
      std::this_thread::sleep_for(poll_interval);
    }
    throw std::runtime_error("schedulerd did not announce its URL within 20 s; stderr:\n" +
                             read_file(stderr_path()));
  }

 private:
  temp_directory dir_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

service_process::service_process(environment env, std::vector<std::string> args)
    : child_(std::make_unique<child>(std::move(env), std::move(args))),
      base_url_(child_->wait_for_listening()) {
  traffic_recorder::watch(base_url_);
}

service_process::~service_process() {
  traffic_recorder::unwatch(base_url_);
}

const std::string& service_process::base_url() const {
  return base_url_;
}

int service_process::pid() const noexcept {
  return child_->pid();
}

void service_process::signal(int sig) {
  child_->signal(sig);
}

std::optional<int> service_process::wait_exit(std::chrono::milliseconds deadline) {
  return child_->wait_exit(deadline);
}

std::string service_process::stdout_text() const {
  return read_file(child_->stdout_path());
}

std::string service_process::stderr_text() const {
  return read_file(child_->stderr_path());
}

completed_process service_process::run_to_completion(environment env, std::vector<std::string> args,
                                                     std::chrono::milliseconds deadline) {
  child running{std::move(env), std::move(args)};
  completed_process out;
  if (auto code = running.wait_exit(deadline)) {
    out.exit_code = *code;
  } else {
    running.signal(SIGKILL);
    running.reap(0);
  }
  out.stdout_text = read_file(running.stdout_path());
  out.stderr_text = read_file(running.stderr_path());
  return out;
}

}  // namespace schedulerd::testing
