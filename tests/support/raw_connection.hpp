#pragma once

#include "http/message.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::testing {

/// One HTTP/1.1 response as it came off the wire; header names are lower-cased.
struct raw_response {
  int status = 0;
  http::header_list headers;
  std::string body;

  /// The first header named `name` (lower-case), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

/// A plain TCP connection to a loopback port, for tests that decide every byte on the wire:
/// pipelined, malformed and oversize requests, HEAD, connection limits. Never raises SIGPIPE.
class raw_connection {
 public:
  /// Connects to 127.0.0.1:`port`; throws std::runtime_error when it cannot.
  explicit raw_connection(std::uint16_t port);

  /// Closes the connection.
  ~raw_connection();

  /// Not copyable: exactly one object closes the socket.
  raw_connection(const raw_connection&) = delete;

  /// Not copyable: exactly one object closes the socket.
  raw_connection& operator=(const raw_connection&) = delete;

  /// Sends `bytes`, waiting up to `deadline` for room; returns how many went out before the peer
  /// closed or reset the connection, or the deadline passed.
  [[nodiscard]] std::size_t send(
      std::string_view bytes, std::chrono::milliseconds deadline = std::chrono::seconds(10)) const;

  /// Reads the next response (without a body when it answers a HEAD); nullopt when the
  /// connection ends, or `deadline` passes, before a whole response arrived.
  std::optional<raw_response> read_response(
      bool answers_head = false, std::chrono::milliseconds deadline = std::chrono::seconds(10));

  /// Whether any byte (or the end of the connection) arrives within `wait`.
  bool stirs_within(std::chrono::milliseconds wait);

  /// Waits up to `deadline` for the peer to end the connection (FIN or RST); true if it did.
  /// Bytes that arrive meanwhile are kept for read_response.
  bool ended_by_peer(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  /// Waits up to `deadline` until `done(unread())` holds, as bytes arrive; true if it did. For
  /// answers that never end on their own, such as a stream of Server-Sent Events.
  bool await_unread(const std::function<bool(const std::string&)>& done,
                    std::chrono::milliseconds deadline = std::chrono::seconds(10));

  /// Everything received and not yet taken by read_response.
  [[nodiscard]] const std::string& unread() const noexcept { return buffer_; }

 private:
  // Reads what is there, waiting up to `wait` for the first byte; false once the peer ended.
  bool fill(std::chrono::milliseconds wait);

  int fd_;
  std::string buffer_;
  bool ended_ = false;
};

/// The port of a base URL such as "http://127.0.0.1:41234".
std::uint16_t port_of(const std::string& base_url);

}  // namespace schedulerd::testing
