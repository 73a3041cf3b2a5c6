#include "bench/support/wrk.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace schedulerd::bench {

namespace {

// A Lua long string: nothing inside needs escaping unless it holds the closing bracket.
std::string lua_string(const std::string& text) {
  return "[==[" + text + "]==]";
}

std::filesystem::path write_script(const wrk_request& request) {
  auto path = std::filesystem::temp_directory_path() /
              ("schedulerd-bench-wrk-" + std::to_string(::getpid()) + ".lua");
  std::ofstream script{path, std::ios::trunc};
  script << "wrk.method = " << lua_string(request.method) << "\n";
  if (!request.body.empty()) script << "wrk.body = " << lua_string(request.body) << "\n";
  for (const auto& [name, value] : request.headers) {
    script << "wrk.headers[ " << lua_string(name) << " ] = " << lua_string(value) << "\n";
  }
  return path;
}

double to_ms(double value, const std::string& unit) {
  if (unit == "us") return value / 1000.0;
  if (unit == "s") return value * 1000.0;
  if (unit == "m") return value * 60000.0;
  return value;
}

// Runs `argv` (found on PATH, no shell) with stdout and stderr in a temporary file; answers what
// it wrote.
std::string run_program(std::vector<std::string> argv) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("schedulerd-bench-wrk-" + std::to_string(::getpid()) + ".out");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + argv[0] + " (is it installed?)");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream in{path};
  std::string output{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  std::filesystem::remove(path);
  return output;
}

}  // namespace

// wrk's default 2 s timeout would cap the percentiles of a slow route, hence --timeout.
wrk_result run_wrk(const wrk_request& request, int connections, std::chrono::seconds duration) {
  const auto script = write_script(request);
  const auto output = run_program({"wrk", "-t2", "-c" + std::to_string(connections),
                                   "-d" + std::to_string(duration.count()) + "s", "--latency", "-s",
                                   script.string(), request.url});
  std::filesystem::remove(script);
  wrk_result result;
  std::smatch m;
  if (!std::regex_search(output, m, std::regex{R"(Requests/sec:\s+([0-9.]+))"})) {
    throw std::runtime_error("wrk printed no rate: " + output);
  }
  result.per_second = std::stod(m[1]);
  if (std::regex_search(output, m, std::regex{R"(\n\s+50%\s+([0-9.]+)(us|ms|s|m))"})) {
    result.p50_ms = to_ms(std::stod(m[1]), m[2]);
  }
  if (std::regex_search(output, m, std::regex{R"(\n\s+99%\s+([0-9.]+)(us|ms|s|m))"})) {
    result.p99_ms = to_ms(std::stod(m[1]), m[2]);
  }
  if (std::regex_search(output, m, std::regex{R"((\d+) requests in)"})) {
    result.requests = std::stoll(m[1]);
  }
  if (std::regex_search(output, m, std::regex{R"(Non-2xx or 3xx responses:\s+(\d+))"})) {
    result.errors += std::stoll(m[1]);
  }
  if (std::regex_search(output, m,
                        std::regex{R"(connect (\d+), read (\d+), write (\d+), timeout (\d+))"})) {
    for (int i = 1; i <= 4; ++i) result.errors += std::stoll(m[i]);
    result.socket_errors = m.str(0);
  }
  return result;
}

}  // namespace schedulerd::bench
