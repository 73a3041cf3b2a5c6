#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// IP addresses and CIDR blocks, for TRUSTED_PROXIES. IPv4 is held as IPv4-mapped IPv6
// (::ffff:a.b.c.d), so that a dual-stack socket's view of an IPv4 peer matches IPv4 ranges.

namespace schedulerd::domain {

/// An IPv6 address, or an IPv4 one mapped into ::ffff:0:0/96, in network byte order.
using ip_address = std::array<unsigned char, 16>;

/// A block of addresses: the first `prefix_bits` bits of `network`.
struct address_range {
  ip_address network{};
  int prefix_bits = 128;

  /// Whether both name the same block.
  friend bool operator==(const address_range&, const address_range&) = default;
};

/// Parses `192.0.2.7`, `2001:db8::1`, `fe80::1%eth0`, `[2001:db8::1]`, or either form followed by
/// a port (`192.0.2.7:4711`, `[2001:db8::1]:443`); nullopt for anything else.
std::optional<ip_address> parse_ip_address(std::string_view text);

/// `address` written out canonically: dotted quad for IPv4, RFC 5952 form for IPv6.
std::string to_string(const ip_address& address);

/// Who a client address counts as for rate limits: an IPv6 address by its /64 (what one
/// subscriber or host gets, so rotating addresses inside it gains nothing), anything else by
/// itself; text that is no address is returned as it is.
std::string rate_limit_subject(std::string_view address);

/// Whether `range` holds `address`.
bool contains(const address_range& range, const ip_address& address) noexcept;

/// Whether any of `ranges` holds `address`.
bool contains_any(const std::vector<address_range>& ranges, const ip_address& address) noexcept;

/// The ranges one TRUSTED_PROXIES item names: an address, a CIDR block (`10.0.0.0/8`,
/// `fd00::/8`), `loopback` or `private`; nullopt when it is none of those.
std::optional<std::vector<address_range>> parse_address_ranges(std::string_view item);

/// Whether parse_address_ranges accepts `item`.
bool is_address_ranges(std::string_view item);

}  // namespace schedulerd::domain
