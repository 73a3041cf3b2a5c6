#pragma once

#include <string>
#include <string_view>

namespace schedulerd::config {

/// What one node of a deployment does: serve the API, dispatch due messages, or both.
struct node_roles {
  /// `api`: the public HTTP API (accounts, providers, messages, admin); creating a message here
  /// leaves its delivery to whichever node dispatches.
  bool api = true;
  /// `dispatch`: the scheduler that claims due messages and the connectors that send them.
  bool dispatch = true;
};

/// Parses a comma list of `api` and `dispatch` (either order, repeats allowed, spaces around
/// names ignored) into `out`; false, leaving `out` alone, for an empty list or an unknown name.
bool parse_node_roles(std::string_view text, node_roles& out);

/// The roles as the comma list parse_node_roles reads (`api,dispatch`, `api` or `dispatch`).
std::string to_string(const node_roles& roles);

/// The message naming what a roles list may hold.
inline constexpr const char* node_roles_expected = "must be a comma list of api and dispatch";

}  // namespace schedulerd::config
