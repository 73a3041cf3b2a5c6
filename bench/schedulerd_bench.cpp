// The `make bench` driver: runs each scenario of bench/README.md against the real binary on
// PostgreSQL and on SQLite, prints every figure beside its target, and fails only on a broken
// run (a message lost or sent twice, a step that did not work).

#include "bench/support/dispatch_scenarios.hpp"
#include "bench/support/report.hpp"
#include "bench/support/run_context.hpp"
#include "bench/support/scenario_list.hpp"
#include "providers/http_client.hpp"

#include <cstdio>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace schedulerd;

namespace {

struct options {
  bool smoke = false;
  int runs = 2;
  std::vector<std::string> backends{"postgres", "sqlite"};
  std::vector<std::string> scenarios = bench::every_scenario();
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> parts;
  std::stringstream in{list};
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  return parts;
}

options parse(int argc, char** argv) {
  options out;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--smoke") {
      out.smoke = true;
      out.runs = 1;
    } else if (args[i] == "--runs" && has_value) {
      out.runs = std::stoi(args[++i]);
    } else if (args[i] == "--backends" && has_value) {
      out.backends = split(args[++i]);
    } else if (args[i] == "--scenarios" && has_value) {
      out.scenarios = split(args[++i]);
    } else {
      throw std::invalid_argument(
          "usage: schedulerd_bench [--smoke] [--runs N] [--backends postgres,sqlite] "
          "[--scenarios burst,trickle,...]");
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto chosen = parse(argc, argv);
    providers::init_http_client();
    bench::report out;
    for (const auto& scenario : chosen.scenarios) {
      for (const auto& backend : chosen.backends) {
        for (int run = 1; run <= chosen.runs; ++run) {
          const bench::run_context ctx{out, backend, run, chosen.smoke};
          std::printf("== %s on %s, run %d\n", scenario.c_str(), backend.c_str(), run);
          static_cast<void>(std::fflush(stdout));
          try {
            bench::run_scenario(scenario, ctx);
          } catch (const std::exception& ex) {
            out.broken(scenario, backend, run, ex.what());
          }
        }
      }
    }
    out.print_tables();
    return out.any_broken() ? 1 : 0;
  } catch (const std::exception& ex) {
    std::cerr << "schedulerd_bench: " << ex.what() << '\n';
    return 64;
  }
}
