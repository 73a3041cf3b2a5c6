#pragma once

#include "metrics/instruments.hpp"
#include "metrics/labelled.hpp"
#include "metrics/sample.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace schedulerd::metrics {

/// The families the process updates as things happen, registered once at start-up; a scrape
/// reads them all with `collect`. Thread-safe.
class registry {
 public:
  /// Registers a counter family (its name should end in `_total`); throws std::invalid_argument
  /// on an invalid or repeated name or label name.
  labelled<counter>& add_counter(std::string name, std::string help,
                                 std::vector<std::string> label_names);

  /// Registers a gauge family; throws like `add_counter`.
  labelled<gauge>& add_gauge(std::string name, std::string help,
                             std::vector<std::string> label_names);

  /// Registers a histogram family with these bucket bounds; throws like `add_counter`.
  labelled<histogram>& add_histogram(std::string name, std::string help,
                                     std::vector<std::string> label_names,
                                     std::vector<double> bounds);

  /// Every family with its samples now, in registration order.
  [[nodiscard]] std::vector<family> collect() const;

 private:
  struct entry {
    std::string name;
    std::string help;
    metric_type type;
    std::function<void(std::vector<sample>&)> read;
  };

  void check(const std::string& name, const std::vector<std::string>& label_names) const;

  mutable std::mutex mutex_;
  std::deque<entry> entries_;
  std::deque<labelled<counter>> counters_;
  std::deque<labelled<gauge>> gauges_;
  std::deque<labelled<histogram>> histograms_;
};

}  // namespace schedulerd::metrics
