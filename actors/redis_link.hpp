#pragma once

#include "log/logger.hpp"
#include "storage/redis_client.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace schedulerd::actors {

/// The Redis connection of an actor that shares state across nodes and falls back to its own
/// while Redis is away: it reconnects at most once per second (a dead Redis costs one connect
/// timeout per second, not one per call), tries a command twice (the second absorbs a
/// connection the server closed while idle) and logs each change of state once
/// (`redis_unavailable`, `redis_restored`, with `{what: fallback}` or `{what: "shared"}`).
class redis_link {
 public:
  /// A link to `url` (empty: Redis is not configured and every command answers nothing);
  /// `what` names what is shared, `fallback` what replaces it during an outage.
  redis_link(std::string url, std::shared_ptr<log::logger> logger, std::string what,
             std::string fallback);

  /// Whether Redis is configured at all.
  [[nodiscard]] bool configured() const noexcept { return !url_.empty(); }

  /// Connects now, so an outage shows at start-up rather than at the first call.
  void connect_now();

  /// Runs `command(storage::redis_client&)`, which answers an optional; nothing when Redis is
  /// not configured or failed twice.
  template <class Command>
  auto run(Command command) -> decltype(command(std::declval<storage::redis_client&>())) {
    if (!configured()) {
      return std::nullopt;
    }
    for (int attempt = 0; attempt < 2 && usable(); ++attempt) {
      if (auto answer = command(*client_)) {
        report(true);
        return answer;
      }
    }
    report(false);
    return std::nullopt;
  }

 private:
  bool usable();
  void report(bool up);

  std::string url_;
  std::shared_ptr<log::logger> logger_;
  std::string what_;
  std::string fallback_;
  std::unique_ptr<storage::redis_client> client_;
  std::chrono::steady_clock::time_point next_attempt_ =
      std::chrono::steady_clock::time_point::min();
  bool reported_down_ = false;
};

}  // namespace schedulerd::actors
