#pragma once

#include <caf/error.hpp>
#include <caf/typed_response_promise.hpp>

#include <utility>

namespace schedulerd::services {

/// A value handler that settles `promise` with the value it receives.
template <class T>
auto fulfil(caf::typed_response_promise<T> promise) {
  return [promise](T& value) mutable { promise.deliver(std::move(value)); };
}

/// An error handler that settles `promise` with the error it receives.
template <class T>
auto fail(caf::typed_response_promise<T> promise) {
  return [promise](caf::error& err) mutable { promise.deliver(std::move(err)); };
}

}  // namespace schedulerd::services
