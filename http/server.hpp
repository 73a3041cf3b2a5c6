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
  std::size_t threads = 2;
  /// Bodies above this are cut off by closing the connection; routes enforce their own lower
  /// limits.
  std::size_t max_body_bytes = std::size_t{16} << 20U;
};

/// The RESTinio HTTP server: it parses requests and hands them to the edge; this is the only
/// translation unit that includes RESTinio.
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

  /// Closes the listening socket and every connection, then joins the threads; the I/O context
  /// lives on until destruction, so late answers from actors are dropped safely.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace schedulerd::http
