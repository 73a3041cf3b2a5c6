#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::config {

/// Whether `text` is an `http://` or `https://` URL with a host, an optional port and any path.
bool is_http_url(std::string_view text);

/// Whether `text` is a browser origin: `http://` or `https://`, a host and an optional port only.
bool is_origin(std::string_view text);

/// Whether `text` is `sqlite://relative/path`, `sqlite:///absolute/path`, `sqlite::memory:`,
/// or a `postgresql://` (or `postgres://`) connection URI.
bool is_database_url(std::string_view text);

/// Where a Redis server listens, as given by REDIS_URL.
struct redis_endpoint {
  std::string host;
  std::uint16_t port = 6379;
  /// The logical database number selected after connecting.
  int db = 0;
};

/// Parses `redis://host:port` with an optional `/db`; returns nothing on any other shape.
std::optional<redis_endpoint> parse_redis_url(std::string_view text);

}  // namespace schedulerd::config
