// Several nodes on one PostgreSQL and one Redis, with the real binary: they share the due work,
// and one killed half-way leaves its claims to the others.

#include "tests/e2e/dispatch_nodes.hpp"
#include "tests/e2e/service_logs.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// A node of the cluster: the common environment plus the shared Redis, holding at most 300 claims
// at once, so the node that created the batch (and knows its due time first) shares it.
testing::environment cluster_env(const testing::test_database& db,
                                 const testing::fake_huggy& huggy) {
  auto env = testing::node_env(db, huggy);
  env["REDIS_URL"] = testing::test_redis_url();
  env["DISPATCH_MAX_CLAIMED"] = "300";
  return env;
}

}  // namespace

TEST_CASE("three nodes share 3,000 due messages, and when one is killed the others finish",
          "[e2e][dispatch][postgres]") {
  // #15 asks for 10,000; 3,000 keep the test within its time limit under ASan.
  constexpr std::int64_t contact_count = 3000;
  testing::fake_huggy huggy;
  huggy.set_contact_count(contact_count);
  auto db = testing::test_database::postgres();
  std::vector<std::unique_ptr<testing::service_process>> nodes;
  nodes.reserve(3);
  for (int n = 0; n < 3; ++n) {
    nodes.push_back(std::make_unique<testing::service_process>(cluster_env(db, huggy)));
  }
  testing::remote_user user{nodes[0]->base_url(), contact_count};
  huggy.set_latency(5ms);  // slow enough that the kill lands mid-dispatch
  const auto batch = user.schedule_all(2s);
  // The victim is a node holding claims once a third is delivered: its lease owner name carries
  // its process id.
  auto watch = db.connect();
  std::size_t victim = nodes.size();
  REQUIRE(testing::eventually(
      [&] {
        if (huggy.deliveries().size() < static_cast<std::size_t>(contact_count / 3)) {
          return false;
        }
        const auto held = watch->execute(
            "SELECT DISTINCT lease_owner FROM scheduled_messages WHERE status = 'processing'");
        for (const auto& row : held.rows) {
          const auto owner = std::get<std::string>(row.at(0));
          for (std::size_t n = 0; n < nodes.size(); ++n) {
            if (owner.find(":" + std::to_string(nodes[n]->pid()) + ":") != std::string::npos) {
              victim = n;
              return true;
            }
          }
        }
        return false;
      },
      60s, 5ms));
  nodes[victim]->signal(SIGKILL);
  REQUIRE(nodes[victim]->wait_exit(10s).has_value());
  const auto delivered_at_kill = huggy.deliveries().size();
  INFO("delivered when the node died: " << delivered_at_kill);
  CHECK(delivered_at_kill < static_cast<std::size_t>(contact_count));
  std::vector<testing::service_process*> survivors;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    if (n != victim) {
      survivors.push_back(nodes[n].get());
    }
  }

  // The survivors finish, including the claims the dead node held (once its lease ends).
  user.base = survivors.front()->base_url();
  CHECK(testing::eventually([&] { return user.batch(batch)["counts"]["sent"] == contact_count; },
                            90s, 50ms));
  auto [missing, repeated] = testing::missing_and_repeated(huggy, contact_count);
  CHECK(missing == 0);
  // Only a message whose attempt died with the node, its outcome unknown, may go out twice: sends
  // in flight, and sends answered whose result was not stored yet.
  std::set<std::string> unknown_outcomes;
  for (const auto& row :
       db.connect()
           ->execute("SELECT c.external_id FROM message_events e"
                     " JOIN scheduled_messages m ON m.id = e.message_id"
                     " JOIN contacts c ON c.id = m.contact_id"
                     " WHERE e.event = 'attempt_failed' AND e.detail LIKE 'the node sending%'")
           .rows) {
    unknown_outcomes.insert(std::get<std::string>(row.at(0)));
  }
  INFO("repeated: " << repeated
                    << ", attempts left unknown by the kill: " << unknown_outcomes.size());
  CHECK(repeated <= unknown_outcomes.size());
  for (std::int64_t index = 0; index < contact_count; ++index) {
    const auto external = testing::fake_huggy::contact_id(index);
    if (huggy.sends_to(external) > 1) {
      CHECK(unknown_outcomes.count(std::to_string(external)) == 1);
    }
  }
  auto owners = db.connect()->execute(
      "SELECT COUNT(DISTINCT detail) FROM message_events WHERE event = 'dispatched'");
  CHECK(std::get<std::int64_t>(owners.rows.at(0).at(0)) == 3);
  CHECK((!testing::events_named(survivors[0]->stderr_text(), "leases_recovered").empty() ||
         !testing::events_named(survivors[1]->stderr_text(), "leases_recovered").empty()));
}
