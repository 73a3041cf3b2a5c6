#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace schedulerd::http {

class edge;

/// Where and how the HTTP server listens.
struct server_settings {
  std::string host = "127.0.0.1";
  /// 0 picks a free port; `server::port()` tells which.
  std::uint16_t port = 8080;
  /// Connections served at once (at least 1); more clients wait, unaccepted, until one closes.
  std::size_t max_connections = 1024;
  std::size_t threads = 2;
};

/// The RESTinio HTTP server: it parses requests and hands them to the edge, reads bodies up to
/// the largest route limit plus 1 MiB, and logs what it refuses to parse through the edge's logger;
/// this is the only translation unit that includes RESTinio.
class server {
 public:
  /// Binds and starts serving on background threads; throws std::system_error when binding fails.
  server(const server_settings& settings, edge& pipeline);

  /// Stops the server and releases its I/O context.
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// The port actually bound.
  [[nodiscard]] std::uint16_t port() const noexcept;

  /// Closes the listening socket, joins the threads and closes every connection no request holds;
  /// answers that actors give later are dropped safely.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace schedulerd::http
