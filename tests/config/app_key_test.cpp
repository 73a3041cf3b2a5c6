#include "config/app_key.hpp"
#include "config/loader.hpp"
#include "domain/base64.hpp"
#include "tests/config/load_helpers.hpp"
#include "tests/support/scoped_umask.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace schedulerd::config;
using namespace schedulerd::config::testing;
using schedulerd::domain::base64_encode;

TEST_CASE("a malformed APP_KEY is rejected", "[config]") {
  const auto value =
      GENERATE(as<std::string>{}, "secret", base64_encode(std::string(31, 'k')),
               base64_encode(std::string(33, 'k')), "base64:" + base64_encode("short"),
               base64_encode(std::string(32, 'k')) + " ", "!!!!" + std::string(40, 'A'));
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["APP_KEY"] = value;
  CAPTURE(value);
  const auto error = load_error(sources);
  CHECK(error.variable == "APP_KEY");
  CHECK(error.message.find("32 bytes") != std::string::npos);
}

TEST_CASE("APP_KEY is base64 of 32 bytes with or without a base64: prefix", "[config]") {
  const auto key = std::string(32, '\x7f');
  const auto value = GENERATE_COPY(base64_encode(key), "base64:" + base64_encode(key));
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["APP_KEY"] = value;
  const auto loaded = load_ok(sources);
  CHECK(loaded.config.app_key == key);
  CHECK(loaded.warnings.empty());
  CHECK_FALSE(std::filesystem::exists(dir / "var/app.key"));
}

TEST_CASE("APP_PREVIOUS_KEYS are decoded and a malformed one is rejected", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["APP_KEY"] = base64_encode(std::string(32, 'a'));
  sources.environment["APP_PREVIOUS_KEYS"] =
      base64_encode(std::string(32, 'b')) + ", base64:" + base64_encode(std::string(32, 'c'));
  CHECK(load_ok(sources).config.previous_app_keys ==
        std::vector<std::string>{std::string(32, 'b'), std::string(32, 'c')});

  sources.environment["APP_PREVIOUS_KEYS"] = base64_encode(std::string(32, 'b')) + ",not-a-key";
  CHECK(load_error(sources).variable == "APP_PREVIOUS_KEYS");
}

TEST_CASE("without APP_KEY a key is generated once into var/app.key with mode 0600 and reused",
          "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["VAR_DIR"] = dir / "state/nested";
  const auto key_path = dir / "state/nested/app.key";

  const auto first = load_ok(sources);
  CHECK(first.config.app_key.size() == 32);
  REQUIRE(first.warnings.size() == 1);
  CHECK(first.warnings[0] == "APP_KEY is not set: generated one into " + key_path +
                                 "; back it up, it decrypts provider credentials");
  struct stat info {};
  REQUIRE(::stat(key_path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  const auto second = load_ok(sources);
  CHECK(second.config.app_key == first.config.app_key);
  CHECK(second.warnings.empty());
}

TEST_CASE("the directories created for var/app.key are private to their owner", "[config]") {
  const scratch_directory dir;
  const schedulerd::testing::scoped_umask usual_umask{022};
  auto sources = isolated_sources(dir);
  sources.environment["VAR_DIR"] = dir / "state/nested";
  load_ok(sources);
  using schedulerd::testing::permissions_of;
  CHECK(permissions_of((dir / "state").c_str()) == 0700);
  CHECK(permissions_of((dir / "state/nested").c_str()) == 0700);
  CHECK(permissions_of((dir / "state/nested/app.key").c_str()) == 0600);
}

TEST_CASE("an existing VAR_DIR keeps the mode its operator gave it", "[config]") {
  const scratch_directory dir;
  const schedulerd::testing::scoped_umask usual_umask{022};
  auto sources = isolated_sources(dir);
  std::filesystem::create_directories(dir / "var");
  std::filesystem::permissions(dir / "var", std::filesystem::perms{0750});
  load_ok(sources);
  CHECK(schedulerd::testing::permissions_of((dir / "var").c_str()) == 0750);
  CHECK(schedulerd::testing::permissions_of((dir / "var/app.key").c_str()) == 0600);
}

TEST_CASE("two generated keys differ", "[config]") {
  const scratch_directory one;
  const scratch_directory two;
  CHECK(load_ok(isolated_sources(one)).config.app_key !=
        load_ok(isolated_sources(two)).config.app_key);
}

TEST_CASE("an APP_KEY that is set takes precedence over var/app.key", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  std::filesystem::create_directories(dir / "var");
  (void)dir.write("var/app.key", base64_encode(std::string(32, 'f')) + "\n");
  CHECK(load_ok(sources).config.app_key == std::string(32, 'f'));

  sources.environment["APP_KEY"] = base64_encode(std::string(32, 'e'));
  CHECK(load_ok(sources).config.app_key == std::string(32, 'e'));
}

TEST_CASE("a var/app.key that does not hold a key is an error naming APP_KEY", "[config]") {
  const scratch_directory dir;
  std::filesystem::create_directories(dir / "var");
  (void)dir.write("var/app.key", "garbage\n");
  const auto error = load_error(isolated_sources(dir));
  CHECK(error.variable == "APP_KEY");
  CHECK(error.message.find(dir / "var/app.key") != std::string::npos);
}

TEST_CASE("a VAR_DIR that cannot be created is an error naming APP_KEY", "[config]") {
  const scratch_directory dir;
  auto sources = isolated_sources(dir);
  sources.environment["VAR_DIR"] = dir.write("plain-file", "") + "/var";
  CHECK(load_error(sources).variable == "APP_KEY");
}
