#pragma once

#include <optional>
#include <string>
#include <vector>

namespace schedulerd::bench {

/// One figure of one run, with the target it is held to.
struct figure {
  /// The scenario, e.g. "burst".
  std::string scenario;
  /// "postgres" or "sqlite".
  std::string backend;
  /// 1-based run number.
  int run = 1;
  /// What was measured, e.g. "lateness p99".
  std::string name;
  /// The value with its unit, e.g. "412 ms".
  std::string value;
  /// The target, e.g. "<= 1000 ms" (empty when there is none).
  std::string target;
  /// Whether the target was met; nullopt when there is no target.
  std::optional<bool> met;
};

/// Collects figures, prints each as it arrives and all of them as Markdown tables at the end.
class report {
 public:
  /// Adds a figure without a target.
  void add(const std::string& scenario, const std::string& backend, int run,
           const std::string& name, const std::string& value);
  /// Adds a figure held to `target`: "met" when `met`, else "MISSED".
  void add(const std::string& scenario, const std::string& backend, int run,
           const std::string& name, const std::string& value, const std::string& target, bool met);
  /// Records a broken run (a lost or repeated message, a failed step); the benchmark then fails.
  void broken(const std::string& scenario, const std::string& backend, int run,
              const std::string& what);
  /// Prints one Markdown table per scenario to stdout.
  void print_tables() const;
  /// Whether any run was broken.
  [[nodiscard]] bool any_broken() const { return !broken_.empty(); }

 private:
  std::vector<figure> figures_;
  std::vector<std::string> broken_;
};

/// `value` with `decimals` decimals and `unit`, e.g. format(1.5, 1, "s") is "1.5 s".
std::string format(double value, int decimals, const std::string& unit);

}  // namespace schedulerd::bench
