#include "config/command_line.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace schedulerd::config;

namespace {

std::variant<command_line, std::string> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "schedulerd");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

command_line parse_ok(std::vector<const char*> args) {
  auto result = parse(std::move(args));
  if (const auto* error = std::get_if<std::string>(&result)) FAIL(*error);
  return std::get<command_line>(result);
}

}  // namespace

TEST_CASE("schedulerd without arguments serves without a config file", "[config]") {
  const auto line = parse_ok({});
  CHECK(line.cmd == command::serve);
  CHECK(line.config_file.empty());
}

TEST_CASE("each subcommand is recognised", "[config]") {
  CHECK(parse_ok({"serve"}).cmd == command::serve);
  CHECK(parse_ok({"migrate"}).cmd == command::migrate);
  CHECK(parse_ok({"version"}).cmd == command::version);
  CHECK(parse_ok({"help"}).cmd == command::help);
  CHECK(parse_ok({"-h"}).cmd == command::help);
  CHECK(parse_ok({"--help"}).cmd == command::help);
  CHECK(parse_ok({"--help", "migrate"}).cmd == command::help);
}

TEST_CASE("the config file option is accepted in both spellings and either position", "[config]") {
  const auto line = parse_ok({"migrate", "--config", "/etc/schedulerd.env"});
  CHECK(line.cmd == command::migrate);
  CHECK(line.config_file == "/etc/schedulerd.env");

  const auto joined = parse_ok({"--config=prod.env", "serve"});
  CHECK(joined.cmd == command::serve);
  CHECK(joined.config_file == "prod.env");
}

TEST_CASE("anything else on the command line is an error message", "[config]") {
  const auto args =
      GENERATE(as<std::vector<const char*>>{}, std::vector<const char*>{"start"},
               std::vector<const char*>{"--verbose"}, std::vector<const char*>{"--config"},
               std::vector<const char*>{"--config="}, std::vector<const char*>{"serve", "migrate"},
               std::vector<const char*>{"--config", "a", "--config", "b"},
               std::vector<const char*>{"serve", "--roles"},
               std::vector<const char*>{"serve", "--roles", "web"},
               std::vector<const char*>{"serve", "--roles="},
               std::vector<const char*>{"serve", "--roles", "api", "--roles", "dispatch"},
               std::vector<const char*>{"migrate", "--roles", "api"});
  const auto result = parse(args);
  REQUIRE(std::holds_alternative<std::string>(result));
  CHECK_FALSE(std::get<std::string>(result).empty());
}

TEST_CASE("the usage text lists every subcommand, --config and --roles", "[config]") {
  const auto text = usage();
  for (const auto* word : {"serve", "migrate", "version", "help", "--config FILE", "--roles"}) {
    CHECK(text.find(word) != std::string::npos);
  }
}

TEST_CASE("serve takes the node's roles in both spellings", "[config]") {
  CHECK(parse_ok({}).roles.empty());
  CHECK(parse_ok({"serve", "--roles", "api"}).roles == "api");
  CHECK(parse_ok({"--roles=dispatch"}).roles == "dispatch");
  CHECK(parse_ok({"--roles", "api,dispatch", "serve"}).roles == "api,dispatch");
}

TEST_CASE("an unknown role is a usage error that names the roles there are", "[config]") {
  const auto result = parse({"serve", "--roles", "api,worker"});
  REQUIRE(std::holds_alternative<std::string>(result));
  CHECK(std::get<std::string>(result) ==
        "--roles api,worker: must be a comma list of api and dispatch");
}
