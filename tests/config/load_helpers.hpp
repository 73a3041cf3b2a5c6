#pragma once

#include "config/loader.hpp"
#include "tests/config/scratch_directory.hpp"

#include <catch2/catch.hpp>

namespace schedulerd::config::testing {

/// Sources that read nothing outside `dir`: no .env yet, VAR_DIR inside it, nothing else set.
inline config_sources isolated_sources(const scratch_directory& dir) {
  config_sources sources;
  sources.environment = {{"VAR_DIR", dir / "var"}};
  sources.dotenv_path = dir / ".env";
  return sources;
}

/// Loads `sources`, failing the test when that reports an error.
inline loaded_config load_ok(const config_sources& sources) {
  auto result = load_config(sources);
  if (const auto* error = std::get_if<config_error>(&result)) FAIL(to_string(*error));
  return std::get<loaded_config>(std::move(result));
}

/// Loads `sources`, failing the test when that succeeds.
inline config_error load_error(const config_sources& sources) {
  auto result = load_config(sources);
  REQUIRE(std::holds_alternative<config_error>(result));
  return std::get<config_error>(std::move(result));
}

}  // namespace schedulerd::config::testing
