#pragma once

#include "domain/address_range.hpp"
#include "domain/header_list.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::http {

/// The address a request came from: `peer` itself, unless `peer` is one of `trusted_proxies`;
/// then the right-most X-Forwarded-For hop that is not a trusted proxy (the hops to its left are
/// whatever the client wrote), or the left-most hop when every hop is trusted.
std::string forwarded_client(const std::string& peer, const domain::header_list& headers,
                             const std::vector<domain::address_range>& trusted_proxies);

}  // namespace schedulerd::http
