#pragma once

#include "domain/field_errors.hpp"

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace schedulerd {

/// Every way a request or an internal operation can fail, one entry per distinct client reaction.
enum class errc : std::uint8_t {
  bad_request = 1,
  unauthenticated,
  forbidden,
  not_found,
  method_not_allowed,
  conflict,
  payload_too_large,
  unsupported_media_type,
  invalid_input,
  rate_limited,
  internal,
  unavailable,
  upstream_failed,
};

/// The CAF error category under which every errc travels (at most 10 characters in CAF 0.17).
constexpr caf::atom_value errc_category = caf::atom("schedulerd");

/// Builds an error of `code` carrying a client-safe message (never SQL, never a secret).
caf::error make_error(errc code, std::string message = {});

/// Builds an `invalid_input` error whose details name each offending field.
caf::error make_validation_error(field_errors details);

/// The fields of a schedulerd error, decoded from a `caf::error`.
struct error_info {
  errc code = errc::internal;
  std::string message;
  field_errors details;
};

/// Decodes `err`; errors of other categories (CAF's own, e.g. timeouts) map to internal or
/// unavailable.
error_info describe(const caf::error& err);

/// Registers errc's renderer with an actor system configuration.
void register_errc_category(caf::actor_system_config& cfg);

/// The stable snake_case name of `code`, as used in logs.
const char* to_string(errc code);

}  // namespace schedulerd
