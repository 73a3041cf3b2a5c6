#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace schedulerd::bench {

/// The CPU time (ms) each part of a run used within a window of wall time.
struct cpu_split {
  /// The service's process, all its threads.
  double service_ms = 0;
  /// Of the service's: its outbound pool's threads (the calls to the provider).
  double sending_ms = 0;
  /// Of the service's: its database pool's threads (with SQLite, the database's own work).
  double storing_ms = 0;
  /// Of the service's: CAF's scheduler and clock threads (the actors).
  double actors_ms = 0;
  /// The processes named `postgres` on the machine (about zero on SQLite, whose work is the
  /// service's).
  double database_ms = 0;
  /// This process: the fake provider, and the benchmark polling it.
  double provider_ms = 0;
  /// Time the hypervisor gave the machine's cores to someone else.
  double steal_ms = 0;
  /// Time the machine's cores were idle.
  double idle_ms = 0;
};

/// The CPU time, user and system, this process has used so far, in ms.
double own_cpu_ms();

/// The CPU time, user and system, the calling thread has used so far, in ms.
double thread_cpu_ms();

/// Samples, every 20 ms on a thread of its own, the CPU time used so far by the service, the
/// processes named `postgres`, this process, and the machine's steal and idle time, and every
/// 100 ms the service's threads, grouped by their names, so that a window of the run can be split
/// afterwards by who used the cores.
class cpu_sampler {
 public:
  /// Starts sampling; `service` is the service's process id.
  explicit cpu_sampler(pid_t service);
  /// Stops sampling.
  ~cpu_sampler();
  cpu_sampler(const cpu_sampler&) = delete;
  cpu_sampler& operator=(const cpu_sampler&) = delete;
  cpu_sampler(cpu_sampler&&) = delete;
  cpu_sampler& operator=(cpu_sampler&&) = delete;

  /// What each part used between two epoch times in ms (linearly interpolated between samples).
  [[nodiscard]] cpu_split between(std::int64_t from_ms, std::int64_t to_ms) const;

 private:
  struct sample {
    std::int64_t at_ms = 0;
    cpu_split used;
  };

  void run();
  /// What each part had used by an epoch time in ms, interpolated between the samples around it.
  [[nodiscard]] cpu_split at(std::int64_t when_ms) const;

  pid_t service_;
  mutable std::mutex mutex_;
  std::vector<sample> samples_;
  // Only the thread groups are set: reading every thread's figures takes a few µs a thread, so
  // they are read less often.
  std::vector<sample> thread_samples_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace schedulerd::bench
