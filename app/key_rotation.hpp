#pragma once

#include "config/service_config.hpp"
#include "log/logger.hpp"

#include <cstdint>

namespace schedulerd::app {

/// What a key rotation did.
struct rotation_report {
  /// Connections whose credentials were sealed again under the current key.
  std::int64_t resealed = 0;
  /// Connections already sealed under it.
  std::int64_t current = 0;
};

/// Opens every stored provider credential and seals those under a previous key again under
/// APP_KEY, in one transaction: when one does not open (tampered with, or under a key that is no
/// longer configured) nothing changes and std::runtime_error names the connection.
rotation_report rotate_keys(const config::service_config& settings, log::logger& logger);

}  // namespace schedulerd::app
