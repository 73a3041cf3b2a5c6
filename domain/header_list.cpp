#include "domain/header_list.hpp"

#include <algorithm>

namespace schedulerd::domain {

std::optional<std::string_view> find_header(const header_list& headers, std::string_view name) {
  auto it = std::find_if(headers.begin(), headers.end(),
                         [name](const auto& header) { return header.first == name; });
  if (it == headers.end()) {
    return std::nullopt;
  }
  return std::string_view{it->second};
}

}  // namespace schedulerd::domain
