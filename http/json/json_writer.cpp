#include "http/json/json_writer.hpp"

#include "domain/rfc3339.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <utility>

namespace schedulerd::http {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// Whether `byte` is ASCII that JSON text carries as it is.
bool needs_no_escape(unsigned char byte) {
  return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
}

// Appends one ASCII byte, escaped where JSON requires it.
void append_ascii(std::string& out, unsigned char byte) {
  switch (byte) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (byte < 0x20) {
    static constexpr std::string_view hex = "0123456789abcdef";
    out += "\\u00";
    out += hex[byte >> 4U];
    out += hex[byte & 0x0FU];
    return;
  }
  out += static_cast<char>(byte);
}

// The length of the UTF-8 sequence `lead` starts, and the range its second byte must fall in
// (Unicode's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF); 0 when `lead`
// cannot start a sequence.
struct sequence_shape {
  std::size_t length = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
};

sequence_shape shape_of(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {2};
  if (lead == 0xE0) return {3, 0xA0};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {3};
  if (lead == 0xF0) return {4, 0x90};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  if (lead >= 0xF1 && lead <= 0xF3) return {4};
  return {};
}

// Appends `value` in decimal.
void append_integer(std::string& out, std::int64_t value) {
  std::array<char, 24> digits{};
  const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), written.ptr);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // Most text is printable ASCII needing no escape: copy each such run at once.
    std::size_t run = i;
    while (run < text.size() && needs_no_escape(static_cast<unsigned char>(text[run]))) ++run;
    out.append(text.substr(i, run - i));
    i = run;
    if (i == text.size()) break;
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      append_ascii(out, lead);
      ++i;
      continue;
    }
    const auto shape = shape_of(lead);
    if (shape.length == 0) {
      out += replacement_character;
      ++i;
      continue;
    }
    // Counts the bytes that continue the sequence validly. A sequence cut short is replaced as a
    // whole, and the byte that broke it is read again as the start of what follows.
    std::size_t valid = 1;
    while (valid < shape.length && i + valid < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + valid]);
      const auto low = valid == 1 ? shape.second_low : static_cast<unsigned char>(0x80);
      const auto high = valid == 1 ? shape.second_high : static_cast<unsigned char>(0xBF);
      if (next < low || next > high) break;
      ++valid;
    }
    if (valid == shape.length) {
      out.append(text.substr(i, valid));
    } else {
      out += replacement_character;
    }
    i += valid;
  }
  out += '"';
}

json_writer& json_writer::begin_object() {
  return open('{');
}

json_writer& json_writer::end_object() {
  return close('}');
}

json_writer& json_writer::begin_array() {
  return open('[');
}

json_writer& json_writer::end_array() {
  return close(']');
}

json_writer& json_writer::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  follows_value_ = false;
  return *this;
}

json_writer& json_writer::string(std::string_view text) {
  separate();
  append_json_string(out_, text);
  follows_value_ = true;
  return *this;
}

json_writer& json_writer::number(std::int64_t value) {
  separate();
  append_integer(out_, value);
  follows_value_ = true;
  return *this;
}

json_writer& json_writer::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  follows_value_ = true;
  return *this;
}

json_writer& json_writer::null() {
  separate();
  out_ += "null";
  follows_value_ = true;
  return *this;
}

json_writer& json_writer::document(const nlohmann::json& value) {
  separate();
  out_ += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  follows_value_ = true;
  return *this;
}

json_writer& json_writer::optional_string(const std::optional<std::string>& text) {
  return text ? string(*text) : null();
}

json_writer& json_writer::text_or_null(const std::string& text) {
  return text.empty() ? null() : string(text);
}

json_writer& json_writer::id(std::int64_t value) {
  separate();
  out_ += '"';
  append_integer(out_, value);
  out_ += '"';
  follows_value_ = true;
  return *this;
}

json_writer& json_writer::optional_id(const std::optional<std::int64_t>& value) {
  return value ? id(*value) : null();
}

json_writer& json_writer::time(std::int64_t unix_ms) {
  return string(domain::format_rfc3339(unix_ms));
}

json_writer& json_writer::optional_time(const std::optional<std::int64_t>& unix_ms) {
  return unix_ms ? time(*unix_ms) : null();
}

std::string json_writer::take() {
  follows_value_ = false;
  return std::exchange(out_, {});
}

void json_writer::separate() {
  if (follows_value_) out_ += ',';
}

json_writer& json_writer::open(char bracket) {
  separate();
  out_ += bracket;
  follows_value_ = false;
  return *this;
}

json_writer& json_writer::close(char bracket) {
  out_ += bracket;
  follows_value_ = true;
  return *this;
}

}  // namespace schedulerd::http
