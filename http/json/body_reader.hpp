#pragma once

#include "domain/field_errors.hpp"
#include "domain/provider_records.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::http {

/// Reads the fields of a JSON object body, collecting per-field problems for a 422 answer.
class body_reader {
 public:
  /// Parses `text` (the edge already checked its syntax); anything but an object is a problem.
  explicit body_reader(const std::string& text);

  /// A string field that must be present (non-string or missing values are problems).
  std::optional<std::string> required_string(const std::string& field);

  /// A string field that may be absent or null.
  std::optional<std::string> optional_string(const std::string& field);

  /// An RFC 3339 time with an offset that may be absent or null, as epoch milliseconds.
  std::optional<std::int64_t> optional_time(const std::string& field);

  /// A resource id that must be present: a string of digits (ids are opaque strings) or a
  /// positive integer.
  std::optional<std::int64_t> required_id(const std::string& field);

  /// A resource id that may be absent or null.
  std::optional<std::int64_t> optional_id(const std::string& field);

  /// An array of resource ids that must be present; a bad element is a problem named
  /// `<field>.<index>`.
  std::optional<std::vector<std::int64_t>> required_ids(const std::string& field);

  /// An RFC 3339 time with an offset that must be present.
  std::optional<std::int64_t> required_time(const std::string& field);

  /// A boolean field that may be absent or null.
  std::optional<bool> optional_bool(const std::string& field);

  /// An object of strings that may be absent or null (e.g. credentials); a value that is not a
  /// string is a problem named `<field>.<key>`.
  std::optional<domain::field_values> optional_fields(const std::string& field);

  /// Whether the field is present (even if null).
  [[nodiscard]] bool has(const std::string& field) const;

  /// Records a problem with `field`.
  void add_error(const std::string& field, std::string message);

  /// The problems found so far (empty means the body is usable).
  [[nodiscard]] const field_errors& errors() const noexcept { return errors_; }

 private:
  nlohmann::json body_;
  field_errors errors_;
};

}  // namespace schedulerd::http
