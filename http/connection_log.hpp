#pragma once

#include "log/logger.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace schedulerd::http {

/// The sizes past which the HTTP parser closes a connection, to explain its refusals in the log.
struct parser_limits {
  /// Longest request target, header name or header value.
  std::size_t text_bytes;
  /// Largest request body, declared or read.
  std::size_t body_bytes;
};

/// The open HTTP connections with their client addresses: it warns when they reach the cap and
/// turns the HTTP library's own warnings into log lines that name the client.
class connection_log {
 public:
  /// Writes to `logger`; `max_connections` is the cap the server enforces.
  connection_log(std::shared_ptr<log::logger> logger, std::size_t max_connections,
                 parser_limits limits);

  /// Records connection `id` from `client`; warns once the open connections reach the cap, and
  /// again only after they have dropped a tenth below it.
  void opened(std::uint64_t id, const std::string& client);

  /// Forgets connection `id`.
  void closed(std::uint64_t id);

  /// Writes one warning or error of the HTTP library (`[connection:N] reason`) as one
  /// `http_connection_error` warn line with the client, the connection and what the reason means.
  void library_problem(std::string_view message) const;

  /// The logger everything goes to.
  [[nodiscard]] log::logger& logger() const noexcept { return *logger_; }

 private:
  [[nodiscard]] std::optional<std::string> client_of(std::uint64_t id) const;

  std::shared_ptr<log::logger> logger_;
  std::size_t max_connections_;
  std::size_t rearm_at_;
  parser_limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::string> open_;
  bool warned_ = false;
};

}  // namespace schedulerd::http
