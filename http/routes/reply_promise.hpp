#pragma once

#include "domain/request_timeouts.hpp"
#include "http/message.hpp"
#include "http/status.hpp"

#include <caf/error.hpp>
#include <caf/result.hpp>
#include <caf/typed_response_promise.hpp>

#include <type_traits>
#include <utility>

namespace schedulerd::http {

/// The promise of a handler's eventual response.
using response_promise = caf::typed_response_promise<response>;

/// An error handler that answers `promise` with the error's JSON envelope.
inline auto fail_with(response_promise promise) {
  return [promise](caf::error& err) mutable { promise.deliver(error_response(err)); };
}

namespace detail {

/// The decayed type of the one argument of a non-generic lambda or a function.
template <class F>
struct argument_of : argument_of<decltype(&F::operator())> {};

/// The decayed type of the one argument of a const call operator.
template <class C, class R, class A>
struct argument_of<R (C::*)(A) const> {
  using type = std::decay_t<A>;
};

/// The decayed type of the one argument of a function.
template <class R, class A>
struct argument_of<R (*)(A)> {
  using type = std::decay_t<A>;
};

}  // namespace detail

/// Sends `args...` to the service actor `target` and answers with `encode(reply)`, or with the
/// error's envelope; `encode` takes the service's reply type (by const reference) and returns a
/// response.
template <class Self, class Handle, class Encode, class... Ts>
caf::result<response> ask(Self* self, const Handle& target, Encode encode, Ts&&... args) {
  using reply_type = typename detail::argument_of<Encode>::type;
  auto promise = self->template make_response_promise<response>();
  self->request(target, domain::service_timeout, std::forward<Ts>(args)...)
      .then([promise, encode](reply_type& reply) mutable { promise.deliver(encode(reply)); },
            fail_with(promise));
  return promise;
}

}  // namespace schedulerd::http
