#include "domain/address_range.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>

namespace schedulerd::domain {

namespace {

constexpr int ipv4_mapped_prefix_bits = 96;
constexpr int ipv4_bits = 32;
constexpr int ipv6_bits = 128;

// A bare address and whether it was written as IPv4.
struct bare_address {
  ip_address bytes{};
  bool ipv4 = false;
};

bool is_digits(std::string_view text, std::size_t max_length) {
  return !text.empty() && text.size() <= max_length &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

using ipv4_octets = std::array<unsigned char, 4>;

ip_address map_ipv4(const ipv4_octets& octets) {
  ip_address mapped{};
  mapped[10] = 0xff;
  mapped[11] = 0xff;
  std::copy(octets.begin(), octets.end(), mapped.begin() + 12);
  return mapped;
}

bool is_ipv4(const ip_address& address) {
  const auto mapped = map_ipv4({0, 0, 0, 0});
  return std::equal(address.begin(), address.begin() + 12, mapped.begin());
}

// `192.0.2.7` or `2001:db8::1`, nothing around them.
std::optional<bare_address> parse_bare(std::string_view text) {
  const std::string terminated{text};
  if (text.find(':') == std::string_view::npos) {
    ipv4_octets octets{};
    if (inet_pton(AF_INET, terminated.c_str(), octets.data()) != 1) return std::nullopt;
    return bare_address{map_ipv4(octets), true};
  }
  bare_address parsed;
  if (inet_pton(AF_INET6, terminated.c_str(), parsed.bytes.data()) != 1) return std::nullopt;
  return parsed;
}

std::optional<ip_address> parse_ipv6_with_zone(std::string_view text) {
  auto parsed = parse_bare(text.substr(0, text.find('%')));
  if (!parsed || parsed->ipv4) return std::nullopt;
  return parsed->bytes;
}

bool is_port(std::string_view text) {
  return is_digits(text, 5);
}

address_range ipv4_range(const ipv4_octets& octets, int prefix_bits) {
  return {map_ipv4(octets), ipv4_mapped_prefix_bits + prefix_bits};
}

address_range ipv6_range(std::string_view network, int prefix_bits) {
  return {parse_bare(network)->bytes, prefix_bits};
}

// The bits of `address` past `prefix_bits` cleared.
ip_address masked(ip_address address, int prefix_bits) {
  for (int bit = prefix_bits; bit < ipv6_bits; ++bit) {
    address[static_cast<std::size_t>(bit / 8)] &=
        static_cast<unsigned char>(~(0x80U >> static_cast<unsigned>(bit % 8)));
  }
  return address;
}

std::optional<address_range> parse_cidr(std::string_view item) {
  const auto slash = item.find('/');
  auto address = parse_bare(item.substr(0, slash));
  if (!address) return std::nullopt;
  const int max_bits = address->ipv4 ? ipv4_bits : ipv6_bits;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const auto length = item.substr(slash + 1);
    if (!is_digits(length, 3)) return std::nullopt;
    bits = std::stoi(std::string{length});
    if (bits > max_bits) return std::nullopt;
  }
  const int prefix_bits = address->ipv4 ? ipv4_mapped_prefix_bits + bits : bits;
  return address_range{masked(address->bytes, prefix_bits), prefix_bits};
}

}  // namespace

std::optional<ip_address> parse_ip_address(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto after = text.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || !is_port(after.substr(1)))) return std::nullopt;
    return parse_ipv6_with_zone(text.substr(1, close - 1));
  }
  const auto colons = std::count(text.begin(), text.end(), ':');
  if (colons == 0) {
    auto parsed = parse_bare(text);
    return parsed ? std::optional<ip_address>{parsed->bytes} : std::nullopt;
  }
  if (colons == 1) {  // IPv4 with a port: IPv6 has at least two colons
    const auto colon = text.find(':');
    auto parsed = parse_bare(text.substr(0, colon));
    if (!parsed || !parsed->ipv4 || !is_port(text.substr(colon + 1))) return std::nullopt;
    return parsed->bytes;
  }
  return parse_ipv6_with_zone(text);
}

std::string to_string(const ip_address& address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (is_ipv4(address)) {
    inet_ntop(AF_INET, address.data() + 12, text.data(), text.size());
  } else {
    inet_ntop(AF_INET6, address.data(), text.data(), text.size());
  }
  return text.data();
}

std::string rate_limit_subject(std::string_view address) {
  constexpr int subscriber_prefix_bits = 64;
  const auto parsed = parse_ip_address(address);
  if (!parsed || is_ipv4(*parsed)) return std::string{address};
  return to_string(masked(*parsed, subscriber_prefix_bits)) + "/64";
}

bool contains(const address_range& range, const ip_address& address) noexcept {
  const auto whole_bytes = static_cast<std::size_t>(range.prefix_bits / 8);
  if (!std::equal(range.network.begin(), range.network.begin() + whole_bytes, address.begin())) {
    return false;
  }
  const auto rest = static_cast<unsigned>(range.prefix_bits % 8);
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xffU << (8U - rest));
  return (range.network[whole_bytes] & mask) == (address[whole_bytes] & mask);
}

bool contains_any(const std::vector<address_range>& ranges, const ip_address& address) noexcept {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&address](const auto& range) { return contains(range, address); });
}

std::optional<std::vector<address_range>> parse_address_ranges(std::string_view item) {
  if (item == "loopback") {
    return std::vector<address_range>{ipv4_range({127, 0, 0, 0}, 8), ipv6_range("::1", 128)};
  }
  if (item == "private") {  // RFC 1918 and RFC 4193 (unique local)
    return std::vector<address_range>{ipv4_range({10, 0, 0, 0}, 8), ipv4_range({172, 16, 0, 0}, 12),
                                      ipv4_range({192, 168, 0, 0}, 16), ipv6_range("fc00::", 7)};
  }
  auto range = parse_cidr(item);
  if (!range) return std::nullopt;
  return std::vector<address_range>{*range};
}

bool is_address_ranges(std::string_view item) {
  return parse_address_ranges(item).has_value();
}

}  // namespace schedulerd::domain
