#pragma once

#include "config/service_config.hpp"

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace schedulerd::config {

/// A configuration problem, reported as one line naming the variable.
struct config_error {
  /// The variable at fault (e.g. `HTTP_PORT`), or `file:line` for a malformed settings file.
  std::string variable;
  /// What is wrong, e.g. "must be an integer from 0 to 65535".
  std::string message;
};

/// Where settings come from; the process environment wins over --config FILE, which wins over .env.
struct config_sources {
  /// The process environment; main() copies `environ` into it.
  std::map<std::string, std::string> environment;
  /// A `.env` file, read when it exists.
  std::string dotenv_path = ".env";
  /// The --config FILE (same KEY=VALUE format); it must exist when given.
  std::string config_file;
  /// LOG_FORMAT defaults to text on a terminal, else json.
  bool stderr_is_terminal = false;
};

/// A validated configuration plus the warnings to log once the logger exists.
struct loaded_config {
  service_config config;
  std::vector<std::string> warnings;
};

/// Loads, merges and validates every setting; generates var/app.key when APP_KEY is unset.
std::variant<loaded_config, config_error> load_config(const config_sources& sources);

/// Formats an error as the single line printed before exiting with code 2.
std::string to_string(const config_error& error);

}  // namespace schedulerd::config
