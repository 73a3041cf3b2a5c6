#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedulerd::domain {

/// An HTTP header list, shared by the inbound server and the outbound client; names are
/// lower-case.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// The value of the first header named `name` (lower-case), if any.
std::optional<std::string_view> find_header(const header_list& headers, std::string_view name);

}  // namespace schedulerd::domain
