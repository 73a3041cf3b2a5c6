#pragma once

#include <vector>

namespace schedulerd::bench {

/// The percentiles the benchmark reports of one sample.
struct distribution {
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
  double max = 0;
};

/// The nearest-rank percentiles of `sample` (all zero when it is empty).
distribution distribution_of(std::vector<double> sample);

}  // namespace schedulerd::bench
