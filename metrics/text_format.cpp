#include "metrics/text_format.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace schedulerd::metrics {

namespace {

std::string_view type_name(metric_type type) {
  switch (type) {
    case metric_type::counter:
      return "counter";
    case metric_type::histogram:
      return "histogram";
    case metric_type::gauge:
      break;
  }
  return "gauge";
}

bool is_name_char(char c, bool first, bool colon_allowed) noexcept {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const bool digit = c >= '0' && c <= '9';
  return letter || (!first && digit) || (colon_allowed && c == ':');
}

bool is_name(std::string_view name, bool colon_allowed) noexcept {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_name_char(name[i], i == 0, colon_allowed)) {
      return false;
    }
  }
  return true;
}

void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_sample(std::string& out, const std::string& name, const sample& line) {
  out += name;
  out += line.suffix;
  if (!line.labels.empty()) {
    out += '{';
    bool first = true;
    for (const auto& [label, value] : line.labels) {
      if (!first) {
        out += ',';
      }
      first = false;
      out += label;
      out += "=\"";
      append_escaped(out, value, true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += format_value(line.value);
  out += '\n';
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  append_escaped(out, value, true);
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  append_escaped(out, text, false);
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  // Shortest round-trip form: integers stay integers (3, not 3.0 or 3e+00) below 1e17.
  std::array<char, 32> buffer{};
  auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc{}) {
    return "NaN";
  }
  return {buffer.data(), end};
}

bool is_metric_name(std::string_view name) noexcept {
  return is_name(name, true);
}

bool is_label_name(std::string_view name) noexcept {
  return is_name(name, false) && name.substr(0, 2) != "__";
}

std::string render(const std::vector<family>& families) {
  std::string out;
  for (const auto& group : families) {
    out += "# HELP ";
    out += group.name;
    out += ' ';
    append_escaped(out, group.help, false);
    out += "\n# TYPE ";
    out += group.name;
    out += ' ';
    out += type_name(group.type);
    out += '\n';
    for (const auto& line : group.samples) {
      append_sample(out, group.name, line);
    }
  }
  return out;
}

}  // namespace schedulerd::metrics
