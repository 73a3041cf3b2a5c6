#pragma once

#include <string>
#include <variant>

namespace schedulerd::config {

/// The subcommand schedulerd runs.
enum class command { serve, migrate, rotate_keys, version, help };

/// The parsed command line.
struct command_line {
  command cmd = command::serve;
  /// The `--config FILE` argument; empty when not given.
  std::string config_file;
  /// The `--roles LIST` argument of `serve` as given (checked); empty when not given.
  std::string roles;
};

/// Parses `schedulerd [serve|migrate|rotate-keys|version|help] [--config FILE] [--roles LIST]`
/// (also `--config=FILE`, `--roles=LIST`, `-h`, `--help`; `--roles` with `serve` only); returns an
/// error message on anything else.
std::variant<command_line, std::string> parse_command_line(int argc, const char* const* argv);

/// The usage text.
std::string usage();

}  // namespace schedulerd::config
