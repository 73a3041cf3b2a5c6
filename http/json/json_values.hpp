#pragma once

#include "domain/rfc3339.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

// How the API writes values that may be absent: as JSON null, never as "" or 0.

namespace schedulerd::http {

/// A time as RFC 3339 UTC with milliseconds, or null.
inline nlohmann::json optional_time(const std::optional<std::int64_t>& at) {
  return at ? nlohmann::json(domain::format_rfc3339(*at)) : nlohmann::json(nullptr);
}

/// A text, or null when it is empty.
inline nlohmann::json optional_text(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

/// A text, or null when absent.
inline nlohmann::json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

/// An id as the opaque string the API shows, or null when absent.
inline nlohmann::json optional_id(const std::optional<std::int64_t>& id) {
  return id ? nlohmann::json(std::to_string(*id)) : nlohmann::json(nullptr);
}

}  // namespace schedulerd::http
