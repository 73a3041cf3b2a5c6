#include "config/command_line.hpp"

#include "config/node_roles.hpp"

#include <optional>
#include <string_view>

namespace schedulerd::config {

namespace {

std::optional<command> command_named(std::string_view name) {
  if (name == "serve") return command::serve;
  if (name == "migrate") return command::migrate;
  if (name == "rotate-keys") return command::rotate_keys;
  if (name == "version") return command::version;
  if (name == "help") return command::help;
  return std::nullopt;
}

}  // namespace

std::variant<command_line, std::string> parse_command_line(int argc, const char* const* argv) {
  command_line result;
  bool have_command = false;
  bool have_config = false;
  bool help_requested = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      help_requested = true;
    } else if (arg == "--config" || arg.substr(0, 9) == "--config=") {
      if (have_config) return std::string("--config is given twice");
      if (arg == "--config" && ++i == argc) return std::string("--config needs a FILE");
      result.config_file = arg == "--config" ? argv[i] : std::string(arg.substr(9));
      if (result.config_file.empty()) return std::string("--config needs a FILE");
      have_config = true;
    } else if (arg == "--roles" || arg.substr(0, 8) == "--roles=") {
      if (!result.roles.empty()) return std::string("--roles is given twice");
      if (arg == "--roles" && ++i == argc) return std::string("--roles needs a LIST");
      result.roles = arg == "--roles" ? argv[i] : std::string(arg.substr(8));
      if (node_roles roles; !parse_node_roles(result.roles, roles)) {
        std::string problem{"--roles "};
        problem += result.roles;
        problem += ": ";
        problem += node_roles_expected;
        return problem;
      }
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else if (const auto named = command_named(arg); named && !have_command) {
      result.cmd = *named;
      have_command = true;
    } else {
      return "unexpected argument '" + std::string(arg) + "'";
    }
  }
  if (help_requested) {
    result.cmd = command::help;
  } else if (!result.roles.empty() && result.cmd != command::serve) {
    return std::string("--roles goes with serve only");
  }
  return result;
}

std::string usage() {
  return "usage: schedulerd [serve|migrate|rotate-keys|version|help] [--config FILE]\n"
         "                  [--roles api,dispatch]\n"
         "\n"
         "  serve          migrate, then run the API and the scheduler (the default)\n"
         "  migrate        apply the database migrations, then exit\n"
         "  rotate-keys    re-encrypt every stored provider credential under APP_KEY (old\n"
         "                 ones must open with APP_KEY or APP_PREVIOUS_KEYS), then exit\n"
         "  version        print the version, then exit\n"
         "  help           print this text, then exit (also -h, --help)\n"
         "  --config FILE  read KEY=VALUE settings from FILE; the environment overrides them,\n"
         "                 and they override ./.env\n"
         "  --roles LIST   with serve: what this node does, a comma list of api (the HTTP\n"
         "                 API) and dispatch (the scheduler and the sends); default both,\n"
         "                 or NODE_ROLES; a dispatch-only node answers only /api/health\n"
         "                 and /metrics\n";
}

}  // namespace schedulerd::config
