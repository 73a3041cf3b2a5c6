#include "providers/registry.hpp"

#include <utility>

namespace schedulerd::providers {

void registry::add(provider_type type, connector_environment environment) {
  std::string name = type.info.type;
  entries_.insert_or_assign(std::move(name), entry{std::move(type), std::move(environment)});
}

const provider_type* registry::find(std::string_view name) const {
  const auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second.type;
}

const connector_environment& registry::environment(std::string_view name) const {
  // Callers look a type up before they build anything, so this only guards against a stale name.
  static const connector_environment unknown{};
  const auto it = entries_.find(name);
  return it == entries_.end() ? unknown : it->second.environment;
}

std::vector<provider_type_info> registry::list() const {
  std::vector<provider_type_info> out;
  out.reserve(entries_.size());
  for (const auto& [name, found] : entries_) out.push_back(found.type.info);
  return out;
}

}  // namespace schedulerd::providers
