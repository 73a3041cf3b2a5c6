#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace schedulerd::testing {

/// A loopback TCP forwarder that a test can cut, to simulate a dependency (say, PostgreSQL)
/// becoming unreachable and coming back.
///
/// It listens on 127.0.0.1 on a port the kernel picks and forwards every accepted connection to
/// `target_host:target_port`, both ways, from one background thread polling every socket.
class tcp_proxy {
 public:
  /// Starts listening; throws std::system_error when it cannot.
  tcp_proxy(std::string target_host, std::uint16_t target_port);

  /// Closes every socket and joins the thread.
  ~tcp_proxy();

  tcp_proxy(const tcp_proxy&) = delete;
  tcp_proxy& operator=(const tcp_proxy&) = delete;

  /// The port the proxy listens on.
  [[nodiscard]] std::uint16_t port() const noexcept;

  /// Resets every open connection at once; until restore(), new connections are accepted and
  /// reset immediately. Returns once that is done.
  void cut();

  /// Forwards new connections again. Returns once that is in effect.
  void restore();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace schedulerd::testing
