#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace schedulerd::log {

/// Severity of a log line; lines below the configured level are dropped.
enum class level { debug, info, warn, error };

/// `text` for people at a terminal, `json` (one object per line) for collectors.
enum class format { text, json };

/// One structured field of a log line.
using field =
    std::pair<std::string_view, std::variant<std::string_view, std::int64_t, double, bool>>;

/// A thread-safe structured logger writing one line per event; never given secrets or bodies.
class logger {
 public:
  /// Writes lines at or above `min_level` to `out` in `style`.
  logger(level min_level, format style, std::FILE* out = stderr);

  /// Writes one event with its fields.
  void write(level severity, std::string_view event, std::initializer_list<field> fields = {});

  /// Writes an info event.
  void info(std::string_view event, std::initializer_list<field> fields = {}) {
    write(level::info, event, fields);
  }

  /// Writes a warning event.
  void warn(std::string_view event, std::initializer_list<field> fields = {}) {
    write(level::warn, event, fields);
  }

  /// Writes an error event.
  void error(std::string_view event, std::initializer_list<field> fields = {}) {
    write(level::error, event, fields);
  }

  /// Whether lines of `severity` are written.
  [[nodiscard]] bool enabled(level severity) const noexcept { return severity >= min_level_; }

 private:
  level min_level_;
  format style_;
  std::FILE* out_;
  std::mutex mutex_;
};

/// Parses `debug`, `info`, `warn` or `error`.
bool parse_level(std::string_view text, level& out);

/// Parses `text` or `json`.
bool parse_format(std::string_view text, format& out);

}  // namespace schedulerd::log
