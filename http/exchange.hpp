#pragma once

#include "http/edge.hpp"

#include <chrono>
#include <optional>

namespace schedulerd::http {

/// One request's journey through the edge: what is needed to finish it once the answer exists.
struct exchange {
  edge* owner = nullptr;
  request summary;
  edge::reply_fn reply;
  std::chrono::steady_clock::time_point started;
  std::optional<actors::rate_decision> budget;
  /// Who the matched route admits (which budget a 429 came from).
  access who = access::open;

  /// Adds the common headers, logs the request and sends `res` to the client.
  void finish(response res);

  /// Logs a failure the client does not see (the request continues), naming the request.
  void log_swallowed(std::string_view event, std::string_view reason) const;
};

/// Runs the asynchronous part of a request (authentication, rate limit, handler) in a
/// short-lived actor, so no HTTP thread ever waits for an actor or the database.
void spawn_bridge(caf::actor_system& system, std::shared_ptr<const edge_settings> settings,
                  std::shared_ptr<exchange> ex, request req, const route& target);

}  // namespace schedulerd::http
