#include "metrics/registry.hpp"

#include "metrics/text_format.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace schedulerd::metrics {

void registry::check(const std::string& name, const std::vector<std::string>& label_names) const {
  if (!is_metric_name(name)) {
    throw std::invalid_argument("invalid metric name: " + name);
  }
  for (const auto& label : label_names) {
    // `le` and `quantile` carry bucket and quantile bounds; a user label must not shadow them.
    if (!is_label_name(label) || label == "le" || label == "quantile") {
      std::string message = "invalid label name for ";
      message += name;
      message += ": ";
      message += label;
      throw std::invalid_argument(message);
    }
  }
  const bool taken = std::any_of(entries_.begin(), entries_.end(),
                                 [&](const entry& known) { return known.name == name; });
  if (taken) {
    throw std::invalid_argument("metric registered twice: " + name);
  }
}

labelled<counter>& registry::add_counter(std::string name, std::string help,
                                         std::vector<std::string> label_names) {
  const std::lock_guard<std::mutex> guard{mutex_};
  check(name, label_names);
  auto& added = counters_.emplace_back(std::move(label_names));
  entries_.push_back(entry{std::move(name), std::move(help), metric_type::counter,
                           [&added](std::vector<sample>& out) { added.collect(out); }});
  return added;
}

labelled<gauge>& registry::add_gauge(std::string name, std::string help,
                                     std::vector<std::string> label_names) {
  const std::lock_guard<std::mutex> guard{mutex_};
  check(name, label_names);
  auto& added = gauges_.emplace_back(std::move(label_names));
  entries_.push_back(entry{std::move(name), std::move(help), metric_type::gauge,
                           [&added](std::vector<sample>& out) { added.collect(out); }});
  return added;
}

labelled<histogram>& registry::add_histogram(std::string name, std::string help,
                                             std::vector<std::string> label_names,
                                             std::vector<double> bounds) {
  const std::lock_guard<std::mutex> guard{mutex_};
  check(name, label_names);
  // Validates the bounds now, at start-up, rather than on the first observation.
  const histogram::options shape{std::move(bounds)};
  const histogram probe{shape};
  auto& added = histograms_.emplace_back(std::move(label_names), shape);
  entries_.push_back(entry{std::move(name), std::move(help), metric_type::histogram,
                           [&added](std::vector<sample>& out) { added.collect(out); }});
  return added;
}

std::vector<family> registry::collect() const {
  const std::lock_guard<std::mutex> guard{mutex_};
  std::vector<family> out;
  out.reserve(entries_.size());
  for (const auto& known : entries_) {
    auto& group = out.emplace_back(make_family(known.name, known.help, known.type));
    known.read(group.samples);
  }
  return out;
}

}  // namespace schedulerd::metrics
