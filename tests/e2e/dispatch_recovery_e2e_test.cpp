// Delivery across process deaths and nodes, with the real binary: a node killed mid-dispatch
// loses nothing, and two nodes on one PostgreSQL send each message exactly once.

#include "domain/clock.hpp"
#include "domain/rfc3339.hpp"
#include "tests/e2e/dispatch_nodes.hpp"
#include "tests/e2e/service_logs.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

using testing::missing_and_repeated;
using testing::node_env;
using testing::remote_user;

// A node stopped by `sig` while it sends one text to each of `contact_count` contacts (slowly,
// so some are in flight), then a fresh node on the same database; answers how many texts each
// contact got once the batch is all sent, and the second node's log.
struct interrupted_dispatch {
  static constexpr std::int64_t contact_count = 60;
  testing::fake_huggy huggy;
  testing::test_database db = testing::test_database::sqlite();
  std::optional<int> exit_code;
  std::size_t delivered_before_restart = 0;
  bool all_sent = false;
  std::string restarted_log;

  explicit interrupted_dispatch(int sig) {
    huggy.set_contact_count(contact_count);
    auto first = std::make_unique<testing::service_process>(node_env(db, huggy));
    remote_user user{first->base_url(), contact_count};
    huggy.set_latency(150ms);
    const auto batch = user.schedule_all(1s);
    REQUIRE(testing::eventually([&] { return huggy.deliveries().size() >= 10; }, 30s));
    first->signal(sig);
    exit_code = first->wait_exit(30s);
    REQUIRE(exit_code.has_value());
    delivered_before_restart = huggy.deliveries().size();
    first.reset();
    testing::service_process second{node_env(db, huggy)};
    user.rebase(second.base_url());
    all_sent = testing::eventually(
        [&] { return user.batch(batch)["counts"]["sent"] == contact_count; }, 60s);
    restarted_log = second.stderr_text();
  }
};

}  // namespace

TEST_CASE("a node killed mid-dispatch loses nothing, and its restart sends the rest",
          "[e2e][dispatch]") {
  interrupted_dispatch run{SIGKILL};
  INFO("delivered before the kill: " << run.delivered_before_restart);
  CHECK(run.delivered_before_restart <
        static_cast<std::size_t>(interrupted_dispatch::contact_count));
  CHECK(run.all_sent);
  auto [missing, repeated] = missing_and_repeated(run.huggy, interrupted_dispatch::contact_count);
  CHECK(missing == 0);
  // Only a send in flight when the node died may go out twice (at most the connector's cap).
  CHECK(repeated <= 8);
  CHECK_FALSE(testing::events_named(run.restarted_log, "leases_recovered").empty());
}

TEST_CASE("SIGTERM mid-dispatch gives unsent claims back and the restart delivers them",
          "[e2e][dispatch]") {
  interrupted_dispatch run{SIGTERM};
  CHECK(*run.exit_code == 0);
  CHECK(run.all_sent);
  auto [missing, repeated] = missing_and_repeated(run.huggy, interrupted_dispatch::contact_count);
  CHECK(missing == 0);
  CHECK(repeated == 0);  // a graceful stop finishes or gives back every claim: no duplicates
}

TEST_CASE("a send slower than the lease is not sent again: the live node renews its claims",
          "[e2e][dispatch]") {
  testing::fake_huggy huggy;
  huggy.set_contact_count(1);
  auto db = testing::test_database::sqlite();
  auto env = node_env(db, huggy);
  // Lease recovery looks every 2 s. A lease of 4 s lets the node stall for 3 s between renewals
  // (a loaded CI machine has stalled it for more than 1.5 s) and still holds the claim.
  env["DISPATCH_LEASE_MS"] = "4000";
  env["DISPATCH_LEAD_MS"] = "0";
  testing::service_process node{env};
  remote_user user{node.base_url(), 1};
  huggy.set_latency(2500ms);  // a send is two calls: 5 s, longer than the lease
  const auto batch = user.schedule_all(1s);
  REQUIRE(testing::eventually([&] { return user.batch(batch)["counts"]["sent"] == 1; }, 30s));
  // Had the lease run out mid-send, recovery would have put the message back and sent it again.
  CHECK(huggy.deliveries().size() == 1);
  CHECK(testing::events_named(node.stderr_text(), "leases_recovered").empty());
}

TEST_CASE("two nodes on one PostgreSQL share 5,000 messages and send each exactly once",
          "[e2e][dispatch][postgres][heavy]") {
  constexpr std::int64_t contact_count = 5000;
  testing::fake_huggy huggy;
  huggy.set_contact_count(contact_count);
  auto db = testing::test_database::postgres();
  // Each node holds at most 250 claims, and the sends take a while: the node that created the
  // batch (and knows its due time first) cannot take it all before the other one's sweep.
  auto env = node_env(db, huggy);
  env["DISPATCH_MAX_CLAIMED"] = "250";
  // Nobody dies here, so nothing waits for a lease to run out: a long one keeps a machine starved
  // by parallel tests (renewals and outcome stores queued behind each other in the pool) from
  // letting a live node's lease lapse, which once made a whole hand-off of 250 go out twice.
  env["DISPATCH_LEASE_MS"] = "20000";
  testing::service_process first{env};
  testing::service_process second{env};
  remote_user user{first.base_url(), contact_count};
  huggy.set_latency(5ms);
  const auto batch = user.schedule_all(3s);
  CHECK(testing::eventually([&] { return user.batch(batch)["counts"]["sent"] == contact_count; },
                            120s, 50ms));
  auto [missing, repeated] = missing_and_repeated(huggy, contact_count);
  CHECK(missing == 0);
  CHECK(repeated == 0);
  CHECK(huggy.deliveries().size() == static_cast<std::size_t>(contact_count));
  // Both nodes took part: each claim's event names the node that made it.
  auto owners = db.connect()->execute(
      "SELECT COUNT(DISTINCT detail) FROM message_events WHERE event = 'dispatched'");
  CHECK(std::get<std::int64_t>(owners.rows.at(0).at(0)) == 2);
}
