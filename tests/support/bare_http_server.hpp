#pragma once

#include "http/message.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace schedulerd::testing {

/// A minimal HTTP/1.1 server on 127.0.0.1 for benchmarks: one thread, epoll, kept-alive
/// connections, bodies framed by Content-Length only.
///
/// A fake platform that runs beside the service in a benchmark takes its CPU from the service it
/// measures, while the real platform spends its own; this transport costs a fraction of
/// fake_server's (RESTinio) for the same answers. Handlers run on the server thread, one at a
/// time. A request it cannot read gets 400 (chunked bodies 411) and its connection is closed.
class bare_http_server {
 public:
  /// Computes the answer to one request on the server thread.
  using handler = std::function<http::response(const http::request&)>;

  /// How long to hold the answer to a request before writing it (without holding the thread).
  using delay_of = std::function<std::chrono::milliseconds(const http::request&)>;

  /// Starts listening on a port the kernel picks; throws std::system_error when it cannot.
  bare_http_server(handler answer, delay_of delay);

  /// Stops the thread and closes every connection.
  ~bare_http_server();

  bare_http_server(const bare_http_server&) = delete;
  bare_http_server& operator=(const bare_http_server&) = delete;

  /// The port the server listens on.
  [[nodiscard]] std::uint16_t port() const;

  /// The server's root URL, "http://127.0.0.1:PORT", without a trailing slash.
  [[nodiscard]] std::string base_url() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace schedulerd::testing
