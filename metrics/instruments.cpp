#include "metrics/instruments.hpp"

#include "metrics/text_format.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace schedulerd::metrics {

namespace {

std::uint64_t to_bits(double value) noexcept {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

double from_bits(std::uint64_t bits) noexcept {
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// A double kept as its bits: compare-and-swap until no other thread added in between.
void add_to(std::atomic<std::uint64_t>& bits, double by) noexcept {
  auto seen = bits.load(std::memory_order_relaxed);
  while (
      !bits.compare_exchange_weak(seen, to_bits(from_bits(seen) + by), std::memory_order_relaxed)) {
  }
}

label_set with_label(const label_set& labels, std::string name, std::string value) {
  auto out = labels;
  out.emplace_back(std::move(name), std::move(value));
  return out;
}

}  // namespace

void counter::collect(const label_set& labels, std::vector<sample>& out) const {
  out.push_back(sample{{}, labels, static_cast<double>(value())});
}

void gauge::set(double value) noexcept {
  bits_.store(to_bits(value), std::memory_order_relaxed);
}

void gauge::add(double by) noexcept {
  add_to(bits_, by);
}

double gauge::value() const noexcept {
  return from_bits(bits_.load(std::memory_order_relaxed));
}

void gauge::collect(const label_set& labels, std::vector<sample>& out) const {
  out.push_back(sample{{}, labels, value()});
}

std::vector<double> histogram::default_seconds() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

histogram::histogram(const options& shape)
    : bounds_(shape.bounds), counts_(shape.bounds.size() + 1) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end()) {
    throw std::invalid_argument("histogram bounds must be strictly increasing");
  }
}

void histogram::observe(double value) noexcept {
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  add_to(sum_bits_, value);
}

void histogram::collect(const label_set& labels, std::vector<sample>& out) const {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    const auto bound = i < bounds_.size() ? format_value(bounds_[i]) : std::string{"+Inf"};
    out.push_back(
        sample{"_bucket", with_label(labels, "le", bound), static_cast<double>(cumulative)});
  }
  out.push_back(sample{"_sum", labels, from_bits(sum_bits_.load(std::memory_order_relaxed))});
  out.push_back(sample{"_count", labels, static_cast<double>(cumulative)});
}

}  // namespace schedulerd::metrics
