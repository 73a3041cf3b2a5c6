#pragma once

#include "domain/errc.hpp"

#include <string>
#include <utility>
#include <variant>

namespace schedulerd::domain {

/// Why an operation failed: its code and a client-safe message (never SQL, never a secret).
struct failure {
  errc code = errc::internal;
  std::string message;
};

/// Either the value an operation produced or the failure that prevented it, without CAF.
template <class T>
class outcome {
 public:
  /// Holds a value.
  outcome(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT

  /// Holds a failure.
  outcome(failure why) : state_(std::in_place_index<1>, std::move(why)) {}  // NOLINT

  /// True when it holds a value.
  explicit operator bool() const noexcept { return state_.index() == 0; }

  /// The value; only when it holds one.
  T& operator*() { return std::get<0>(state_); }

  /// The value; only when it holds one.
  const T& operator*() const { return std::get<0>(state_); }

  /// Member access to the value; only when it holds one.
  T* operator->() { return &std::get<0>(state_); }

  /// Member access to the value; only when it holds one.
  const T* operator->() const { return &std::get<0>(state_); }

  /// The failure; only when it holds no value.
  [[nodiscard]] failure& error() { return std::get<1>(state_); }

  /// The failure; only when it holds no value.
  [[nodiscard]] const failure& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, failure> state_;
};

}  // namespace schedulerd::domain
