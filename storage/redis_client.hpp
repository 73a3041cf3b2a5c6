#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct redisContext;

namespace schedulerd::storage {

/// Prefix of every rate-limit counter key this service writes to Redis.
inline constexpr const char* rate_key_prefix = "schedulerd:rl:";

/// Prefix of every shared send-rate bucket key this service writes to Redis.
inline constexpr const char* send_rate_key_prefix = "schedulerd:send:";

/// What a shared token bucket granted: sends that may start now, or how long until one may.
struct token_grant {
  /// Sends that may start now (at most the number asked for).
  std::int64_t granted = 0;
  /// Milliseconds until the bucket holds a token again (0 when something was granted).
  std::int64_t wait_ms = 0;
};

/// One counted request: the key of its window and the window's length in seconds.
struct window_increment {
  /// The window's key, without rate_key_prefix.
  std::string key;
  /// The window's length in seconds, set when the request opens it.
  int window_s = 0;
};

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

  /// Increments the counters of `increments` in one round trip; answers (count, seconds left) for
  /// each, in order.
  std::optional<std::vector<std::pair<std::int64_t, std::int64_t>>> increment_windows(
      const std::vector<window_increment>& increments);

  /// Takes up to `want` tokens from key's bucket, refilled at `rate_per_second` up to `burst`
  /// (full when new), timed by the Redis server's clock so every node reads one time.
  std::optional<token_grant> take_tokens(const std::string& key, double rate_per_second,
                                         double burst, std::int64_t want);

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
