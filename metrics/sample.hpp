#pragma once

#include <string>
#include <utility>
#include <vector>

// What a scrape reads: plain values, detached from the atomics that produced them, so they can
// travel between actors and be rendered anywhere.

namespace schedulerd::metrics {

/// Label names and values of one series, in the order they are rendered.
using label_set = std::vector<std::pair<std::string, std::string>>;

/// The Prometheus metric types this library produces.
enum class metric_type { counter, gauge, histogram };

/// One line of output: the family's name plus `suffix` (`_bucket`, `_sum`, `_count` or nothing).
struct sample {
  std::string suffix;
  label_set labels;
  double value = 0;
};

/// A metric family as rendered: its HELP and TYPE lines, then its samples.
struct family {
  std::string name;
  std::string help;
  metric_type type = metric_type::gauge;
  std::vector<sample> samples;
};

/// A family of `type` named `name` with `help` and no samples yet.
family make_family(std::string name, std::string help, metric_type type);

/// Appends the sample `labels` = `value` (no suffix) to `out`.
void add_sample(family& out, label_set labels, double value);

}  // namespace schedulerd::metrics
