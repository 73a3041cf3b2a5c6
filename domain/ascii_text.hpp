#pragma once

#include <string>
#include <string_view>

// ASCII only, independent of the C locale: header names, emails, provider names and settings are
// compared byte for byte, and lower-casing other scripts depends on who is asking.

namespace schedulerd::domain {

/// Whether `c` is ASCII white space (space, tab, CR, LF, form feed, vertical tab).
constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// `text` without leading and trailing ASCII white space.
std::string_view trim(std::string_view text) noexcept;

/// `text` with its ASCII letters lower-cased; every other byte unchanged.
std::string ascii_lower(std::string_view text);

/// `text` trimmed, then lower-cased (an email address, a provider name).
std::string trim_lower(std::string_view text);

}  // namespace schedulerd::domain
