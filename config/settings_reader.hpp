#pragma once

#include "config/loader.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::config {

/// Reads typed settings out of merged KEY=VALUE pairs, keeping the first problem it finds; an
/// unset variable leaves the default in place.
class settings_reader {
 public:
  /// Reads from `values`, which hold no empty values.
  explicit settings_reader(std::map<std::string, std::string> values)
      : values_(std::move(values)) {}

  /// The value of `name`, or nullptr when it is unset.
  [[nodiscard]] const std::string* find(const std::string& name) const;

  /// Copies the value of `name` as it is.
  void text(const std::string& name, std::string& out) const;

  /// Reads an `http://` or `https://` URL, dropping trailing slashes.
  void url(const std::string& name, std::string& out);

  /// Reads a value that `valid` accepts; otherwise records `message`.
  void checked(const std::string& name, bool (*valid)(std::string_view), std::string_view message,
               std::string& out);

  /// Reads a comma list: items trimmed, empty ones dropped, each accepted by `valid`.
  void list(const std::string& name, bool (*valid)(std::string_view), std::string_view message,
            std::vector<std::string>& out);

  /// Reads an integer from `min` to `max`.
  template <class Integer>
  void integer(const std::string& name, std::int64_t min, std::int64_t max, Integer& out) {
    if (std::int64_t value = 0; read_integer(name, min, max, value)) {
      out = static_cast<Integer>(value);
    }
  }

  /// Reads a finite number greater than zero.
  void positive_number(const std::string& name, double& out);

  /// Reads one of a fixed set of words through `parse` (e.g. log::parse_level).
  template <class Enum>
  void choice(const std::string& name, bool (*parse)(std::string_view, Enum&),
              std::string_view message, Enum& out) {
    if (const auto* value = find(name); value && !parse(*value, out)) fail(name, message);
  }

  /// Records a problem; only the first one is kept.
  void fail(const std::string& name, std::string_view message);

  /// The first problem found, if any.
  [[nodiscard]] const std::optional<config_error>& error() const noexcept { return error_; }

 private:
  bool read_integer(const std::string& name, std::int64_t min, std::int64_t max, std::int64_t& out);

  std::map<std::string, std::string> values_;
  std::optional<config_error> error_;
};

}  // namespace schedulerd::config
