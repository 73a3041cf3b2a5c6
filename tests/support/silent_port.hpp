#pragma once

#include <cstdint>
#include <string>

namespace schedulerd::testing {

/// A loopback port nobody answers on: bound only (connections are refused), or listening but
/// never reading (connections succeed, requests hang). Closed when the object dies.
class silent_port {
 public:
  /// Binds a free loopback port, and listens on it when `listening`; throws when it cannot.
  explicit silent_port(bool listening = false);

  /// Not copyable: exactly one object closes the socket.
  silent_port(const silent_port&) = delete;

  /// Not copyable: exactly one object closes the socket.
  silent_port& operator=(const silent_port&) = delete;

  /// Closes the socket, freeing the port.
  ~silent_port();

  /// The bound port.
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

  /// `scheme://127.0.0.1:PORT`, e.g. a Redis URL nobody serves.
  [[nodiscard]] std::string url(const std::string& scheme) const;

  /// Accepts one waiting connection and resets it at once (RST, not FIN); false when none came.
  [[nodiscard]] bool reset_next_connection() const;

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

}  // namespace schedulerd::testing
