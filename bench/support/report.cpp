#include "bench/support/report.hpp"

#include <algorithm>
#include <cstdio>

namespace schedulerd::bench {

namespace {

void print_line(const figure& f) {
  std::printf("  %-10s %-8s #%d  %-40s %14s  %-14s %s\n", f.scenario.c_str(), f.backend.c_str(),
              f.run, f.name.c_str(), f.value.c_str(), f.target.c_str(),
              f.met ? (*f.met ? "met" : "MISSED") : "");
  static_cast<void>(std::fflush(stdout));
}

}  // namespace

std::string format(double value, int decimals, const std::string& unit) {
  std::vector<char> text(64);
  static_cast<void>(std::snprintf(text.data(), text.size(), "%.*f", decimals, value));
  std::string formatted{text.data()};
  if (!unit.empty()) {
    formatted += ' ';
    formatted += unit;
  }
  return formatted;
}

void report::add(const std::string& scenario, const std::string& backend, int run,
                 const std::string& name, const std::string& value) {
  figures_.push_back({scenario, backend, run, name, value, {}, std::nullopt});
  print_line(figures_.back());
}

void report::add(const std::string& scenario, const std::string& backend, int run,
                 const std::string& name, const std::string& value, const std::string& target,
                 bool met) {
  figures_.push_back({scenario, backend, run, name, value, target, met});
  print_line(figures_.back());
}

void report::broken(const std::string& scenario, const std::string& backend, int run,
                    const std::string& what) {
  broken_.push_back(scenario + " " + backend + " run " + std::to_string(run) + ": " + what);
  std::printf("BROKEN %s\n", broken_.back().c_str());
  static_cast<void>(std::fflush(stdout));
}

void report::print_tables() const {
  std::vector<std::string> scenarios;
  for (const auto& f : figures_) {
    if (std::find(scenarios.begin(), scenarios.end(), f.scenario) == scenarios.end()) {
      scenarios.push_back(f.scenario);
    }
  }
  for (const auto& scenario : scenarios) {
    std::printf(
        "\n### %s\n\n| backend | run | figure | value | target | |\n|---|---|---|---|---|---|\n",
        scenario.c_str());
    for (const auto& f : figures_) {
      if (f.scenario != scenario) continue;
      std::printf("| %s | %d | %s | %s | %s | %s |\n", f.backend.c_str(), f.run, f.name.c_str(),
                  f.value.c_str(), f.target.c_str(), f.met ? (*f.met ? "met" : "MISSED") : "");
    }
  }
  for (const auto& what : broken_) std::printf("\nBROKEN: %s\n", what.c_str());
  static_cast<void>(std::fflush(stdout));
}

}  // namespace schedulerd::bench
