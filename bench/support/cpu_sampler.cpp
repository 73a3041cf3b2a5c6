#include "bench/support/cpu_sampler.hpp"

#include "domain/clock.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <ctime>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <exception>
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
// The service's threads are read every this many samples.
constexpr int threads_every = 5;

double ms_per_tick() {
  static const double ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  return ms;
}

// The whole of a small /proc file; empty once its process or thread has exited. Reading the
// file of a task that exited after it was opened fails with ESRCH, which libstdc++'s stream
// buffer throws through istreambuf_iterator (it ended a capacity run once).
std::string proc_file_text(const std::string& path) {
  try {
    std::ifstream file{path};
    return {std::istreambuf_iterator<char>{file}, std::istreambuf_iterator<char>{}};
  } catch (const std::exception&) {
    return {};
  }
}

// User plus system CPU so far, in ms, of the process or thread whose `stat` file is `path`; -1
// once it has exited. `name`, when given, receives its command name.
double stat_cpu_ms(const std::string& path, std::string* name = nullptr) {
  const auto text = proc_file_text(path);
  // The command name is in parentheses and may hold spaces: fields are counted after it.
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return -1;
  if (name != nullptr) *name = text.substr(open + 1, close - open - 1);
  std::istringstream fields{text.substr(close + 2)};
  std::string field;
  double ticks = 0;
  for (int index = 0; index < 13 && fields >> field; ++index) {
    if (index == 11 || index == 12) ticks += std::stod(field);  // utime, stime
  }
  return ticks * ms_per_tick();
}

double process_cpu_ms(pid_t pid) {
  return stat_cpu_ms("/proc/" + std::to_string(pid) + "/stat");
}

// Which of cpu_split's groups a service thread named `name` counts in; null for none of them.
double cpu_split::*thread_group(const std::string& name) {
  if (name == "outbound_pool") return &cpu_split::sending_ms;
  if (name == "db_pool") return &cpu_split::storing_ms;
  // CAF 0.17 names its scheduler's workers "caf.multiplexer", like the I/O thread (which the
  // service does not start).
  if (name == "caf.multiplexer" || name == "caf.clock") return &cpu_split::actors_ms;
  return nullptr;
}

// Adds to `used` the CPU time each of the service's threads has used so far, by group. A thread
// that exits takes its time with it: `seen` keeps what each was last seen to have used.
void add_thread_cpu(pid_t service,
                    std::map<std::string, std::pair<double cpu_split::*, double>>& seen,
                    cpu_split& used) {
  std::error_code error;
  const auto tasks = "/proc/" + std::to_string(service) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator{tasks, error}) {
    std::string name;
    const auto cpu = stat_cpu_ms((entry.path() / "stat").string(), &name);
    const auto group = thread_group(name);
    if (group == nullptr) continue;
    auto& [where, most] = seen[entry.path().filename().string()];
    where = group;
    most = std::max(most, cpu);
  }
  for (const auto& [tid, last] : seen) used.*last.first += last.second;
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
  return {f(a.service_ms, b.service_ms),   f(a.sending_ms, b.sending_ms),
          f(a.storing_ms, b.storing_ms),   f(a.actors_ms, b.actors_ms),
          f(a.database_ms, b.database_ms), f(a.provider_ms, b.provider_ms),
          f(a.steal_ms, b.steal_ms),       f(a.idle_ms, b.idle_ms)};
}

// What `samples` (in time order) say had been used by `when_ms`, linearly interpolated.
template <class Sample>
cpu_split interpolate(const std::vector<Sample>& samples, std::int64_t when_ms) {
  if (samples.empty()) return {};
  const auto later = std::lower_bound(samples.begin(), samples.end(), when_ms,
                                      [](const Sample& s, std::int64_t t) { return s.at_ms < t; });
  if (later == samples.begin()) return samples.front().used;
  if (later == samples.end()) return samples.back().used;
  const auto& before = *std::prev(later);
  const auto span = static_cast<double>(later->at_ms - before.at_ms);
  const double f = span > 0 ? static_cast<double>(when_ms - before.at_ms) / span : 0.0;
  return fieldwise(before.used, later->used, [f](double x, double y) { return x + (y - x) * f; });
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

double thread_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
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
  std::map<std::string, std::pair<double cpu_split::*, double>> threads_seen;
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
    const bool read_threads = round % threads_every == 0;
    sample threads{s.at_ms, {}};
    if (read_threads) add_thread_cpu(service_, threads_seen, threads.used);
    {
      const std::lock_guard lock{mutex_};
      samples_.push_back(s);
      if (read_threads) thread_samples_.push_back(threads);
    }
    std::this_thread::sleep_for(sample_interval);
  }
}

cpu_split cpu_sampler::at(std::int64_t when_ms) const {
  const std::lock_guard lock{mutex_};
  auto used = interpolate(samples_, when_ms);
  const auto threads = interpolate(thread_samples_, when_ms);
  used.sending_ms = threads.sending_ms;
  used.storing_ms = threads.storing_ms;
  used.actors_ms = threads.actors_ms;
  return used;
}

cpu_split cpu_sampler::between(std::int64_t from_ms, std::int64_t to_ms) const {
  return fieldwise(at(from_ms), at(to_ms), [](double x, double y) { return y - x; });
}

}  // namespace schedulerd::bench
