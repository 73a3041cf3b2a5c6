#pragma once

#include "providers/connector.hpp"

namespace schedulerd::providers::huggy {

/// The Huggy provider type: its description, its checks, its connector and its OAuth flow.
provider_type type();

}  // namespace schedulerd::providers::huggy
