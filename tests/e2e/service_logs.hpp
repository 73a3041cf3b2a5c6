#pragma once

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// The lines of `text` that are JSON objects (the service's log lines), parsed, in order.
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream lines{text};
  for (std::string line; std::getline(lines, line);) {
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_object()) {
      out.push_back(std::move(parsed));
    }
  }
  return out;
}

/// The parsed log lines of `text` whose "event" is `event`.
inline std::vector<nlohmann::json> events_named(const std::string& text, const std::string& event) {
  std::vector<nlohmann::json> out;
  for (auto& line : json_lines(text)) {
    if (line.value("event", "") == event) {
      out.push_back(std::move(line));
    }
  }
  return out;
}

}  // namespace schedulerd::testing
