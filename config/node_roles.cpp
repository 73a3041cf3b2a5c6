#include "config/node_roles.hpp"

namespace schedulerd::config {

namespace {

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

bool parse_node_roles(std::string_view text, node_roles& out) {
  node_roles roles{false, false};
  while (true) {
    const auto comma = text.find(',');
    const auto name = trimmed(text.substr(0, comma));
    if (name == "api") {
      roles.api = true;
    } else if (name == "dispatch") {
      roles.dispatch = true;
    } else {
      return false;
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  out = roles;
  return true;
}

std::string to_string(const node_roles& roles) {
  std::string out;
  if (roles.api) out += "api";
  if (roles.api && roles.dispatch) out += ',';
  if (roles.dispatch) out += "dispatch";
  return out;
}

}  // namespace schedulerd::config
