#pragma once

#include <string>
#include <string_view>

namespace schedulerd::domain {

/// Percent-encodes a URL component (RFC 3986: everything but unreserved characters).
std::string url_encode(std::string_view text);

}  // namespace schedulerd::domain
