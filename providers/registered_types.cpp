#include "providers/huggy/type.hpp"
#include "providers/registry.hpp"

// Every built-in provider type, one line each: a new platform is a folder under providers/ that
// builds a provider_type, plus its line here.

namespace schedulerd::providers {

registry builtin_registry(const provider_endpoints& endpoints) {
  registry types;
  types.add(huggy::type(), {endpoints.huggy_api_base_url, endpoints.huggy_auth_base_url,
                            endpoints.timeout, endpoints.now});
  return types;
}

}  // namespace schedulerd::providers
