#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::http {

/// Appends `text` to `out` as a JSON string literal, quotes included: escaped as nlohmann::json's
/// dump escapes it, and each invalid UTF-8 sequence replaced by U+FFFD as its `replace` handler
/// does, so stored bytes can never make an answer invalid JSON.
void append_json_string(std::string& out, std::string_view text);

/// Writes compact JSON text straight into a string, without building a document first: the
/// encoder of the answers that carry many rows (a list of 25 messages is ~350 JSON values).
/// Commas are placed by the writer; the caller names keys and values in order.
class json_writer {
 public:
  /// Opens an object (`{`).
  json_writer& begin_object();
  /// Closes the innermost object (`}`).
  json_writer& end_object();
  /// Opens an array (`[`).
  json_writer& begin_array();
  /// Closes the innermost array (`]`).
  json_writer& end_array();
  /// Writes an object's key; its value comes next.
  json_writer& key(std::string_view name);
  /// Writes a string value.
  json_writer& string(std::string_view text);
  /// Writes an integer value.
  json_writer& number(std::int64_t value);
  /// Writes `true` or `false`.
  json_writer& boolean(bool value);
  /// Writes `null`.
  json_writer& null();
  /// Writes a document built elsewhere, as nlohmann::json dumps it for an answer.
  json_writer& document(const nlohmann::json& value);
  /// Writes `text`, or null when it is absent.
  json_writer& optional_string(const std::optional<std::string>& text);
  /// Writes `text`, or null when it is empty.
  json_writer& text_or_null(const std::string& text);
  /// Writes an id as the opaque string the API shows.
  json_writer& id(std::int64_t value);
  /// Writes an id as the API shows it, or null when absent.
  json_writer& optional_id(const std::optional<std::int64_t>& value);
  /// Writes a time as RFC 3339 UTC with milliseconds.
  json_writer& time(std::int64_t unix_ms);
  /// Writes a time as RFC 3339 UTC with milliseconds, or null when absent.
  json_writer& optional_time(const std::optional<std::int64_t>& unix_ms);

  /// The text written so far; the writer is left empty.
  std::string take();

 private:
  // Writes the comma a value needs when it follows another in the same object or array.
  void separate();
  // Opens an object or an array with `bracket`.
  json_writer& open(char bracket);
  // Closes an object or an array with `bracket`.
  json_writer& close(char bracket);

  std::string out_;
  bool follows_value_ = false;
};

}  // namespace schedulerd::http
