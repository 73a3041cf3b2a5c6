#include "domain/sample_window.hpp"

#include <algorithm>
#include <cmath>

namespace schedulerd::domain {

sample_window::sample_window(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {
  samples_.reserve(capacity_);
}

void sample_window::add(std::int64_t sample) {
  if (samples_.size() < capacity_) {
    samples_.push_back(sample);
    return;
  }
  samples_[next_] = sample;
  next_ = (next_ + 1) % capacity_;
}

std::int64_t sample_window::percentile(double p) const {
  if (samples_.empty()) {
    return 0;
  }
  auto sorted = samples_;
  const auto rank = static_cast<std::size_t>(
      std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size())));
  const auto index = rank == 0 ? 0 : rank - 1;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(index),
                   sorted.end());
  return sorted[index];
}

}  // namespace schedulerd::domain
