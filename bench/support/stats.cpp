#include "bench/support/stats.hpp"

#include <algorithm>
#include <cmath>

namespace schedulerd::bench {

namespace {

double rank(const std::vector<double>& sorted, double share) {
  const auto index =
      static_cast<std::size_t>(std::ceil(share * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(index, 1, sorted.size()) - 1];
}

}  // namespace

distribution distribution_of(std::vector<double> sample) {
  if (sample.empty()) return {};
  std::sort(sample.begin(), sample.end());
  return {rank(sample, 0.50), rank(sample, 0.95), rank(sample, 0.99), sample.back()};
}

}  // namespace schedulerd::bench
