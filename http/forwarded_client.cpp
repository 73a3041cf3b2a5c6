#include "http/forwarded_client.hpp"

#include "domain/ascii_text.hpp"

namespace schedulerd::http {

namespace {

// Every X-Forwarded-For hop, left to right, across repeated headers (RFC 9110 5.3).
std::vector<std::string_view> forwarded_hops(const domain::header_list& headers) {
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest{value};
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      hops.push_back(domain::trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return hops;
}

}  // namespace

std::string forwarded_client(const std::string& peer, const domain::header_list& headers,
                             const std::vector<domain::address_range>& trusted_proxies) {
  if (trusted_proxies.empty()) return peer;
  const auto peer_address = domain::parse_ip_address(peer);
  if (!peer_address || !domain::contains_any(trusted_proxies, *peer_address)) return peer;
  std::string client = peer;
  const auto hops = forwarded_hops(headers);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    // A hop that is no address (`unknown`, garbage) ends the chain: nothing trusted vouched for
    // what lies to its left, so the last hop that a trusted proxy wrote is the client.
    const auto address = domain::parse_ip_address(*hop);
    if (!address) break;
    client = domain::to_string(*address);
    if (!domain::contains_any(trusted_proxies, *address)) break;
  }
  return client;
}

}  // namespace schedulerd::http
