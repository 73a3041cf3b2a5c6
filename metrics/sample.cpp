#include "metrics/sample.hpp"

namespace schedulerd::metrics {

family make_family(std::string name, std::string help, metric_type type) {
  return family{std::move(name), std::move(help), type, {}};
}

void add_sample(family& out, label_set labels, double value) {
  out.samples.push_back(sample{{}, std::move(labels), value});
}

}  // namespace schedulerd::metrics
