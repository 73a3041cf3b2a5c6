#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace schedulerd::config {

/// Variables read from a `.env`-style file, by name; a later line wins over an earlier one.
using dotenv_values = std::map<std::string, std::string>;

/// A line of a `.env`-style file that could not be read.
struct dotenv_error {
  /// 1-based line number.
  int line = 0;
  /// What is wrong with the line.
  std::string message;
};

/// Parses `KEY=VALUE` lines: blank lines and `#` comments are skipped, `export ` is allowed,
/// double-quoted values take `\n`, `\"` and `\\` escapes, single-quoted ones are literal, and
/// unquoted ones are trimmed and end at ` #`.
std::variant<dotenv_values, dotenv_error> parse_dotenv(std::string_view text);

}  // namespace schedulerd::config
