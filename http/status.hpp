#pragma once

#include "actors/errc.hpp"
#include "http/message.hpp"

#include <string_view>

namespace schedulerd::http {

/// How one errc appears to HTTP clients.
struct status_entry {
  int status;
  std::string_view code;
  std::string_view message;
};

/// The single mapping from errc to HTTP status, envelope code and default message.
status_entry status_of(errc code) noexcept;

/// The standard reason phrase of an HTTP status code.
std::string_view reason_phrase(int status) noexcept;

/// Builds the JSON error envelope for `code`, with `Retry-After` when the code says how long to
/// wait (domain::retry_after_hint); an empty `message` takes the table's default.
response error_response(errc code, std::string_view message = {}, const field_errors& details = {});

/// Builds the JSON error envelope for any error a handler or actor produced.
response error_response(const caf::error& err);

}  // namespace schedulerd::http
