#pragma once

#include "providers/connector.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::providers {

/// The provider types the service knows, and the server-wide environment of each.
class registry {
 public:
  /// Registers `type` with the environment its connectors get; a later type of the same name wins.
  void add(provider_type type, connector_environment environment);

  /// The type named `name`, or null.
  [[nodiscard]] const provider_type* find(std::string_view name) const;

  /// The environment of the type named `name` (a default one for unknown names).
  [[nodiscard]] const connector_environment& environment(std::string_view name) const;

  /// Every registered type's description, ordered by type name.
  [[nodiscard]] std::vector<provider_type_info> list() const;

 private:
  struct entry {
    provider_type type;
    connector_environment environment;
  };
  std::map<std::string, entry, std::less<>> entries_;
};

/// Server-wide endpoints of the built-in provider types.
struct provider_endpoints {
  /// `HUGGY_API_BASE_URL`.
  std::string huggy_api_base_url = "https://api.huggy.app/v3";
  /// `HUGGY_AUTH_BASE_URL`.
  std::string huggy_auth_base_url = "https://auth.huggy.app";
  /// Timeout of each outbound call.
  std::chrono::milliseconds timeout{15000};
  /// The injected clock.
  domain::clock_fn now = domain::system_now_ms;
};

/// The registry of every built-in provider type (providers/registered_types.cpp).
registry builtin_registry(const provider_endpoints& endpoints);

}  // namespace schedulerd::providers
