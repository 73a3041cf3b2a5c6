#pragma once

#include "actors/restart_policy.hpp"

#include <caf/actor.hpp>

#include <chrono>
#include <string>

namespace schedulerd::actors {

/// How a pool names, registers and replaces its workers.
struct pool_options {
  /// Where workers are registered as `<name>.worker.<slot>` (optional).
  caf::actor directory;
  std::string name = "pool";
  /// At most this many replacements in the period; one more stops the pool with an error.
  restart_intensity intensity{10, std::chrono::seconds(10)};
};

}  // namespace schedulerd::actors
