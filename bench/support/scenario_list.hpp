#pragma once

#include "bench/support/run_context.hpp"

#include <string>
#include <vector>

namespace schedulerd::bench {

/// Every scenario's name, in the order `make bench` runs them.
std::vector<std::string> every_scenario();

/// Runs one run of scenario `name`; throws std::invalid_argument for an unknown name.
void run_scenario(const std::string& name, const run_context& ctx);

}  // namespace schedulerd::bench
