#include "bench/support/scenario_list.hpp"

#include "bench/support/capacity_scenario.hpp"
#include "bench/support/dispatch_scenarios.hpp"
#include "bench/support/http_scenarios.hpp"

#include <stdexcept>

namespace schedulerd::bench {

namespace {

using scenario_fn = void (*)(const run_context&);

const std::vector<std::pair<std::string, scenario_fn>>& scenarios() {
  static const std::vector<std::pair<std::string, scenario_fn>> all{
      {"burst", run_burst},        {"trickle", run_trickle},   {"retry", run_retry},
      {"slow", run_slow_provider}, {"creation", run_creation}, {"api", run_api},
      {"capacity", run_capacity},
  };
  return all;
}

}  // namespace

std::vector<std::string> every_scenario() {
  std::vector<std::string> names;
  for (const auto& [name, run] : scenarios()) names.push_back(name);
  return names;
}

void run_scenario(const std::string& name, const run_context& ctx) {
  for (const auto& [known, run] : scenarios()) {
    if (known == name) return run(ctx);
  }
  throw std::invalid_argument("unknown scenario: " + name);
}

}  // namespace schedulerd::bench
