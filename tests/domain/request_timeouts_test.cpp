#include "domain/request_timeouts.hpp"
#include "actors/db_pool.hpp"
#include "http/edge.hpp"
#include "providers/oauth/oauth_client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace schedulerd;

TEST_CASE("every inner deadline of a request ends before the edge gives up on the handler",
          "[domain][timeouts]") {
  const auto edge = http::edge_settings{}.handler_timeout;
  CHECK(edge == domain::handler_timeout);
  // What the components actually use, not only the constants: each must nest inside the edge's.
  CHECK(actors::db_timeout < edge);
  CHECK(domain::blocking_work_timeout < edge);
  CHECK(domain::outbound_work_timeout < edge);
  CHECK(providers::default_oauth_timeout * domain::outbound_calls_per_login <
        domain::outbound_work_timeout);
  CHECK(edge - std::max({actors::db_timeout, domain::blocking_work_timeout,
                         domain::outbound_work_timeout}) >=
        domain::nesting_margin);
}
