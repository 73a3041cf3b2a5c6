#pragma once

#include "metrics/sample.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::metrics {

/// One instrument per set of label values. Finding an existing series takes no lock (it walks an
/// append-only hash chain); only creating a new series locks. Series are never removed, so keep
/// label values bounded (route patterns, never raw paths).
template <class Instrument>
class labelled {
 public:
  /// A family with these label names, whose instruments are built from `shape`.
  explicit labelled(std::vector<std::string> label_names, typename Instrument::options shape = {})
      : names_(std::move(label_names)), shape_(std::move(shape)) {}

  /// The instrument of `values` (one per label name, in order), created on first use.
  Instrument& with(std::initializer_list<std::string_view> values) {
    if (values.size() != names_.size()) {
      throw std::invalid_argument("wrong number of label values");
    }
    auto& head = buckets_[hash_of(values) % buckets_.size()];
    if (auto* found = find(head.load(std::memory_order_acquire), values)) {
      return found->instrument;
    }
    const std::lock_guard<std::mutex> guard{create_};
    auto* first = head.load(std::memory_order_acquire);
    if (auto* found = find(first, values)) {
      return found->instrument;
    }
    auto& fresh =
        nodes_.emplace_back(std::vector<std::string>(values.begin(), values.end()), first, shape_);
    head.store(&fresh, std::memory_order_release);
    return fresh.instrument;
  }

  /// Appends every series' samples to `out`, ordered by label values.
  void collect(std::vector<sample>& out) const {
    std::vector<const node*> series;
    {
      const std::lock_guard<std::mutex> guard{create_};
      for (const auto& item : nodes_) {
        series.push_back(&item);
      }
    }
    std::sort(series.begin(), series.end(),
              [](const node* a, const node* b) { return a->values < b->values; });
    for (const auto* item : series) {
      label_set labels;
      for (std::size_t i = 0; i < names_.size(); ++i) {
        labels.emplace_back(names_[i], item->values[i]);
      }
      item->instrument.collect(labels, out);
    }
  }

 private:
  struct node {
    node(std::vector<std::string> label_values, node* following,
         const typename Instrument::options& shape)
        : values(std::move(label_values)), next(following), instrument(shape) {}
    std::vector<std::string> values;
    node* next;
    Instrument instrument;
  };

  static std::size_t hash_of(std::initializer_list<std::string_view> values) {
    std::size_t seed = 0;
    for (const auto value : values) {
      seed = seed * 31 + std::hash<std::string_view>{}(value);
    }
    return seed;
  }

  static node* find(node* from, std::initializer_list<std::string_view> values) {
    for (; from != nullptr; from = from->next) {
      if (std::equal(from->values.begin(), from->values.end(), values.begin(), values.end())) {
        return from;
      }
    }
    return nullptr;
  }

  std::vector<std::string> names_;
  typename Instrument::options shape_;
  std::array<std::atomic<node*>, 64> buckets_{};
  mutable std::mutex create_;
  // A deque never moves its elements, so the chains' pointers stay valid as it grows.
  std::deque<node> nodes_;
};

}  // namespace schedulerd::metrics
