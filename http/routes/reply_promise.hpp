#pragma once

#include "http/message.hpp"
#include "http/status.hpp"

#include <caf/error.hpp>
#include <caf/typed_response_promise.hpp>

namespace schedulerd::http {

/// The promise of a handler's eventual response.
using response_promise = caf::typed_response_promise<response>;

/// An error handler that answers `promise` with the error's JSON envelope.
inline auto fail_with(response_promise promise) {
  return [promise](caf::error& err) mutable { promise.deliver(error_response(err)); };
}

}  // namespace schedulerd::http
