#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

struct redisContext;

namespace schedulerd::storage {

/// Prefix of every rate-limit counter key this service writes to Redis.
inline constexpr const char* rate_key_prefix = "schedulerd:rl:";

/// One blocking hiredis connection with short timeouts. Any failure marks it broken; a broken
/// client answers nothing until `reconnect()` succeeds. Not thread-safe: one owner at a time.
class redis_client {
 public:
  /// Connects to `redis://host:port[/db]` (selecting db when non-zero); check `broken()`.
  explicit redis_client(std::string url,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds{250});

  /// Whether the last connect or command failed (or the URL is not a Redis URL).
  [[nodiscard]] bool broken() const noexcept { return !context_; }

  /// Drops the connection and connects again; returns whether it worked.
  bool reconnect();

  /// Whether the server answers PING with PONG.
  bool ping();

  /// Increments key's counter in a window of `window_s` seconds; returns the count and the seconds
  /// left.
  std::optional<std::pair<std::int64_t, std::int64_t>> increment_window(const std::string& key,
                                                                        int window_s);

  /// Gives one request back to key's open window (never below zero, never reopening an ended
  /// window); returns whether one was given back, or nothing when Redis failed.
  std::optional<bool> decrement_window(const std::string& key);

 private:
  using context_ptr = std::unique_ptr<redisContext, void (*)(redisContext*)>;

  void mark_broken() noexcept { context_.reset(); }

  std::string url_;
  std::chrono::milliseconds timeout_;
  context_ptr context_;
};

}  // namespace schedulerd::storage
