#include "config/urls.hpp"

#include <algorithm>
#include <charconv>

namespace schedulerd::config {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool parse_number(std::string_view digits, int min, int max, int& out) {
  int value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

bool is_host(std::string_view host) {
  const auto host_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
  };
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    const auto inside = host.substr(1, host.size() - 2);
    return std::all_of(inside.begin(), inside.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
             c == ':' || c == '.';
    });
  }
  return !host.empty() && std::all_of(host.begin(), host.end(), host_char);
}

/// The host and port of a URL's authority.
struct host_port {
  std::string_view host;
  int port = 0;
};

// Parses `host[:port]` (IPv6 hosts in brackets); the port, when present, must be 1..65535.
std::optional<host_port> parse_authority(std::string_view text, bool port_required) {
  const auto colon = text.rfind(':');
  const bool has_port =
      colon != std::string_view::npos && text.find(']', colon) == std::string_view::npos;
  host_port result{has_port ? text.substr(0, colon) : text};
  if (!is_host(result.host) || (!has_port && port_required)) return std::nullopt;
  if (has_port && !parse_number(text.substr(colon + 1), 1, 65535, result.port)) return std::nullopt;
  return result;
}

/// An http(s) URL cut after its authority.
struct http_parts {
  std::string_view authority;
  /// The path, query and fragment, possibly empty.
  std::string_view rest;
};

std::optional<http_parts> split_http_url(std::string_view text) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (starts_with(text, scheme)) {
      text.remove_prefix(scheme.size());
      const auto end = std::min(text.find_first_of("/?#"), text.size());
      return http_parts{text.substr(0, end), text.substr(end)};
    }
  }
  return std::nullopt;
}

bool has_blank(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

}  // namespace

bool is_http_url(std::string_view text) {
  const auto parts = split_http_url(text);
  return parts && !has_blank(text) && parse_authority(parts->authority, false);
}

bool is_origin(std::string_view text) {
  const auto parts = split_http_url(text);
  return parts && parts->rest.empty() && parse_authority(parts->authority, false);
}

bool is_database_url(std::string_view text) {
  if (has_blank(text)) return false;
  if (text == "sqlite::memory:") return true;
  if (starts_with(text, "sqlite://")) return text.size() > std::string_view("sqlite://").size();
  return starts_with(text, "postgresql://") || starts_with(text, "postgres://");
}

std::optional<redis_endpoint> parse_redis_url(std::string_view text) {
  constexpr std::string_view scheme = "redis://";
  if (!starts_with(text, scheme)) return std::nullopt;
  text.remove_prefix(scheme.size());
  const auto slash = std::min(text.find('/'), text.size());
  const auto address = parse_authority(text.substr(0, slash), true);
  if (!address) return std::nullopt;
  redis_endpoint endpoint;
  const auto db = slash < text.size() ? text.substr(slash + 1) : std::string_view{};
  if (!db.empty() && !parse_number(db, 0, 1000000, endpoint.db)) return std::nullopt;
  auto host = address->host;
  // hiredis takes IPv6 addresses without the brackets of the URL form.
  if (host.front() == '[') host = host.substr(1, host.size() - 2);
  endpoint.host = std::string(host);
  endpoint.port = static_cast<std::uint16_t>(address->port);
  return endpoint;
}

}  // namespace schedulerd::config
