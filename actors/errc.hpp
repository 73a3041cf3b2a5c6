#pragma once

#include "domain/errc.hpp"
#include "domain/field_errors.hpp"
#include "domain/outcome.hpp"

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace schedulerd {

/// The domain's error codes, named here too so actor and HTTP code keep writing `errc::...`.
using domain::errc;

/// The domain's name table, for callers in this namespace.
using domain::to_string;

/// The CAF error category under which every errc travels (at most 10 characters in CAF 0.17).
constexpr caf::atom_value errc_category = caf::atom("schedulerd");

/// Builds an error of `code` carrying a client-safe message (never SQL, never a secret).
caf::error make_error(errc code, std::string message = {});

/// Carries a domain failure (from `domain/` or `providers/`) as a CAF error.
caf::error make_error(const domain::failure& why);

/// Turns a domain outcome into the `caf::expected` that actors return.
template <class T>
caf::expected<T> to_expected(domain::outcome<T> result) {
  if (result) {
    return std::move(*result);
  }
  return make_error(result.error());
}

/// Builds an `invalid_input` error whose details name each offending field.
caf::error make_validation_error(field_errors details);

/// Builds a `rate_limited` error that says how many seconds to wait before trying again.
caf::error make_rate_limited_error(int retry_after_s);

/// The fields of a schedulerd error, decoded from a `caf::error`.
struct error_info {
  errc code = errc::internal;
  std::string message;
  field_errors details;
  /// Seconds to wait before trying again, when the failure carries its own wait (a rate limit).
  std::optional<int> retry_after_s;
};

/// Decodes `err`; errors of other categories (CAF's own, e.g. timeouts) map to internal or
/// unavailable.
error_info describe(const caf::error& err);

/// Registers errc's renderer with an actor system configuration.
void register_errc_category(caf::actor_system_config& cfg);

}  // namespace schedulerd
