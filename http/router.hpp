#pragma once

#include "actors/activity.hpp"
#include "http/message.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::http {

/// The interface of every HTTP handler actor: one request in, one response out.
using handler_actor =
    caf::typed_actor<caf::replies_to<request>::with<response>,
                     caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Who may call a route, and which rate-limit budget it spends.
enum class access {
  /// Anyone; rate-limited per client address.
  open,
  /// Anyone, under the stricter budget of register / login / OAuth (per client address).
  auth_endpoint,
  /// A valid bearer token is required; rate-limited per token.
  authenticated,
};

/// How a route treats its request before the handler sees it.
struct route_options {
  access who = access::authenticated;
  /// Largest accepted body in bytes; larger bodies get 413.
  std::size_t body_limit = std::size_t{1} << 20U;
};

/// One registered route; `pattern` uses OpenAPI's `{name}` placeholders.
struct route {
  std::string method;
  std::string pattern;
  handler_actor target;
  route_options options;
};

/// The outcome of routing: the route and its parameters, or the methods the path does allow.
struct route_match {
  const route* matched = nullptr;
  std::map<std::string, std::string> params;
  /// Non-empty when the path exists under other methods (405); empty with no match means 404.
  std::vector<std::string> allowed_methods;
};

/// Maps method and path to handler actors; built once at start-up, then only read.
class router {
 public:
  /// Registers `target` for `method` and `pattern` (for example `/api/providers/{id}`).
  void add(std::string method, std::string pattern, handler_actor target, route_options options);

  /// Finds the route for `method` and `path`; HEAD finds the GET route when it has none of its own.
  [[nodiscard]] route_match find(std::string_view method, std::string_view path) const;

  /// The largest body any route accepts (the default limit when there are no routes).
  [[nodiscard]] std::size_t largest_body_limit() const noexcept;

  /// Every registered route, in registration order.
  [[nodiscard]] const std::vector<route>& routes() const noexcept { return routes_; }

 private:
  std::vector<route> routes_;
};

}  // namespace schedulerd::http
