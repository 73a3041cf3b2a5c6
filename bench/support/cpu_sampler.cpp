#include "bench/support/cpu_sampler.hpp"

#include "domain/clock.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace schedulerd::bench {

namespace {

constexpr auto sample_interval = std::chrono::milliseconds{20};
// The PostgreSQL server's processes are looked for again every this many samples.
constexpr int database_rescan_every = 25;

double ms_per_tick() {
  static const double ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  return ms;
}

// User plus system CPU of a process so far, in ms; -1 once it has exited.
double process_cpu_ms(pid_t pid) {
  std::ifstream file{"/proc/" + std::to_string(pid) + "/stat"};
  std::string text{std::istreambuf_iterator<char>{file}, std::istreambuf_iterator<char>{}};
  // The command name is in parentheses and may hold spaces: fields are counted after it.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields{text.substr(close + 2)};
  std::string field;
  double ticks = 0;
  for (int index = 0; index < 13 && fields >> field; ++index) {
    if (index == 11 || index == 12) ticks += std::stod(field);  // utime, stime
  }
  return ticks * ms_per_tick();
}

// The processes named `postgres` (the server and its backends).
std::vector<pid_t> database_processes() {
  std::vector<pid_t> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator{"/proc", error}) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(),
                                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
      continue;
    }
    std::ifstream comm{entry.path() / "comm"};
    std::string command;
    if (std::getline(comm, command) && command == "postgres") {
      found.push_back(static_cast<pid_t>(std::stol(name)));
    }
  }
  return found;
}

// The machine's steal and idle time so far, over every core, in ms.
void machine_cpu_ms(double& steal_ms, double& idle_ms) {
  std::ifstream file{"/proc/stat"};
  std::string cpu;
  // user, nice, system, idle, iowait, irq, softirq, steal, in ticks.
  std::array<double, 8> ticks{};
  file >> cpu;
  for (auto& field : ticks) file >> field;
  steal_ms = ticks[7] * ms_per_tick();
  idle_ms = (ticks[3] + ticks[4]) * ms_per_tick();
}

// Applies `f` to each pair of fields of `a` and `b`.
template <class F>
cpu_split fieldwise(const cpu_split& a, const cpu_split& b, F f) {
  return {f(a.service_ms, b.service_ms), f(a.database_ms, b.database_ms),
          f(a.provider_ms, b.provider_ms), f(a.steal_ms, b.steal_ms), f(a.idle_ms, b.idle_ms)};
}

}  // namespace

double own_cpu_ms() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
  };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

cpu_sampler::cpu_sampler(pid_t service) : service_(service), thread_([this] { run(); }) {}

cpu_sampler::~cpu_sampler() {
  stop_ = true;
  thread_.join();
}

void cpu_sampler::run() {
  // A database process that exits takes its CPU time with it: the sum keeps what each was last
  // seen to have used.
  std::map<pid_t, double> database_seen;
  double service_seen = 0;
  for (int round = 0; !stop_; ++round) {
    if (round % database_rescan_every == 0) {
      for (const auto pid : database_processes()) database_seen.try_emplace(pid, 0.0);
    }
    sample s;
    s.at_ms = domain::system_now_ms();
    service_seen = std::max(service_seen, process_cpu_ms(service_));
    s.used.service_ms = service_seen;
    for (auto& [pid, seen] : database_seen) {
      seen = std::max(seen, process_cpu_ms(pid));
      s.used.database_ms += seen;
    }
    s.used.provider_ms = own_cpu_ms();
    machine_cpu_ms(s.used.steal_ms, s.used.idle_ms);
    {
      const std::lock_guard lock{mutex_};
      samples_.push_back(s);
    }
    std::this_thread::sleep_for(sample_interval);
  }
}

cpu_split cpu_sampler::at(std::int64_t when_ms) const {
  const std::lock_guard lock{mutex_};
  if (samples_.empty()) return {};
  const auto later = std::lower_bound(samples_.begin(), samples_.end(), when_ms,
                                      [](const sample& s, std::int64_t t) { return s.at_ms < t; });
  if (later == samples_.begin()) return samples_.front().used;
  if (later == samples_.end()) return samples_.back().used;
  const auto& before = *std::prev(later);
  const auto span = static_cast<double>(later->at_ms - before.at_ms);
  const double f = span > 0 ? static_cast<double>(when_ms - before.at_ms) / span : 0.0;
  return fieldwise(before.used, later->used, [f](double x, double y) { return x + (y - x) * f; });
}

cpu_split cpu_sampler::between(std::int64_t from_ms, std::int64_t to_ms) const {
  return fieldwise(at(from_ms), at(to_ms), [](double x, double y) { return y - x; });
}

}  // namespace schedulerd::bench
