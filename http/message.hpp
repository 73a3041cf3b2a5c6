#pragma once

#include "domain/header_list.hpp"

#include <caf/meta/type_name.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedulerd::http {

/// The header list type shared with the outbound client; names are stored lower-case.
using header_list = domain::header_list;

/// An incoming request, decoupled from the HTTP library so handlers and tests never include it.
struct request {
  std::string method;
  std::string path;
  std::string query;
  header_list headers;
  std::string body;
  std::string client_address;
  std::string request_id;
  /// The pattern of the route that matched, e.g. `/api/providers/{id}` (set by the router).
  std::string route;
  std::map<std::string, std::string> path_params;
  /// The authenticated user (0 when the route is public or no token was given).
  std::int64_t user_id = 0;
  /// The API token the request was authenticated with (0 when none).
  std::int64_t token_id = 0;

  /// The first header named `name` (lower-case), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;

  /// The decoded value of query parameter `name`, if present.
  [[nodiscard]] std::optional<std::string> query_param(std::string_view name) const;

  /// The route parameter `name` captured by the router (empty when absent).
  [[nodiscard]] const std::string& param(const std::string& name) const;
};

/// The server's end of a streamed response body; safe to use from any thread.
class stream_sink {
 public:
  virtual ~stream_sink() = default;

  /// Sends `chunk` to the client; false once the client has left or the server is stopping.
  virtual bool write(std::string chunk) = 0;

  /// Ends the body; later writes return false.
  virtual void close() = 0;
};

/// A response body produced over time (Server-Sent Events); the server drops it, which must stop
/// the producer, when the client leaves, the server stops or the body ends.
class body_stream {
 public:
  virtual ~body_stream() = default;

  /// Called once, right after the headers went out, on an I/O thread: must not block.
  virtual void start(std::shared_ptr<stream_sink> sink) = 0;
};

/// An outgoing response; the edge adds the common headers (request id, security, CORS, rate limit).
struct response {
  int status = 200;
  header_list headers;
  std::string body;
  /// When set, the body is streamed from it (chunked) instead of `body`.
  std::shared_ptr<body_stream> stream;

  /// Sets or replaces header `name` (lower-case).
  response& set_header(std::string name, std::string value);

  /// The first header named `name` (lower-case), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request& x) {
  return f(caf::meta::type_name("http_request"), x.method, x.path, x.query, x.headers, x.body,
           x.client_address, x.request_id, x.route, x.path_params, x.user_id, x.token_id);
}

// `stream` is left out: a streamed response holds live objects and never leaves the process.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, response& x) {
  return f(caf::meta::type_name("http_response"), x.status, x.headers, x.body);
}

}  // namespace schedulerd::http
