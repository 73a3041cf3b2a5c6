// Several nodes on one PostgreSQL and one Redis, with the real binary: they share the due work,
// and one killed half-way leaves its claims to the others.

#include "tests/e2e/dispatch_nodes.hpp"
#include "tests/e2e/service_logs.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
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
  // Outcomes wait for the database before they are stored; on a starved machine (make test runs
  // two of these tests at once) a 4 s lease ran out first, and a live node's sends went out twice.
  env["DISPATCH_LEASE_MS"] = "10000";
  return env;
}

}  // namespace

TEST_CASE("three nodes share 10,000 due messages, and when one is killed the others finish",
          "[e2e][dispatch][postgres][heavy]") {
  constexpr std::int64_t contact_count = 10000;
  testing::fake_huggy huggy;
  huggy.set_contact_count(contact_count);
  auto db = testing::test_database::postgres();
  std::vector<std::unique_ptr<testing::service_process>> nodes;
  nodes.reserve(3);
  for (int n = 0; n < 3; ++n) {
    nodes.push_back(std::make_unique<testing::service_process>(cluster_env(db, huggy)));
  }
  // Flows: one request a send (a chat send is two), so the fake keeps up with three nodes.
  testing::remote_user user{nodes[0]->base_url(),
                            contact_count,
                            {{"send_mode", "flow"},
                             {"flow_id", std::to_string(testing::fake_huggy::flow_id)},
                             {"channel_uuid", testing::fake_huggy::channel_uuid}}};
  const auto batch = user.schedule_all(2s);
  // The victim is a node holding claims once half is delivered: its lease owner name carries its
  // process id.
  auto watch = db.connect();
  const auto pid_in_owner = [&](std::size_t n) {
    return ":" + std::to_string(nodes[n]->pid()) + ":";
  };
  std::size_t victim = nodes.size();
  REQUIRE(testing::eventually(
      [&] {
        if (huggy.delivered() < static_cast<std::size_t>(contact_count / 2)) {
          return false;
        }
        const auto held = watch->execute(
            "SELECT DISTINCT lease_owner FROM scheduled_messages WHERE status = 'processing'");
        for (const auto& row : held.rows) {
          const auto owner = std::get<std::string>(row.at(0));
          for (std::size_t n = 0; n < nodes.size(); ++n) {
            if (owner.find(pid_in_owner(n)) != std::string::npos) {
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
  const auto delivered_at_kill = huggy.delivered();
  INFO("delivered when the node died: " << delivered_at_kill);
  // The victim may have stored its last outcomes between the look and the kill: only claims it
  // really left behind need a survivor to recover their leases.
  const auto left_behind = std::get<std::int64_t>(
      watch
          ->execute("SELECT COUNT(*) FROM scheduled_messages WHERE status = 'processing'"
                    " AND lease_owner LIKE $1",
                    {"%" + pid_in_owner(victim) + "%"})
          .rows.at(0)
          .at(0));
  INFO("claims the dead node left behind: " << left_behind);
  CHECK(delivered_at_kill < static_cast<std::size_t>(contact_count));
  std::vector<testing::service_process*> survivors;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    if (n != victim) {
      survivors.push_back(nodes[n].get());
    }
  }

  // The survivors finish, including the claims the dead node held (once its lease ends).
  user.rebase(survivors.front()->base_url());
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
  for (const auto& [external, sends] : huggy.sends_per_contact()) {
    if (sends > 1) {
      CHECK(unknown_outcomes.count(std::to_string(external)) == 1);
    }
  }
  auto owners = db.connect()->execute(
      "SELECT COUNT(DISTINCT detail) FROM message_events WHERE event = 'dispatched'");
  CHECK(std::get<std::int64_t>(owners.rows.at(0).at(0)) == 3);
  if (left_behind > 0) {
    // Its claims come back through lease recovery; the sends it had journaled but not folded
    // are folded by it instead, and are not sent again.
    const auto logged = [&](const char* event) {
      return !testing::events_named(survivors[0]->stderr_text(), event).empty() ||
             !testing::events_named(survivors[1]->stderr_text(), event).empty();
    };
    CHECK((logged("leases_recovered") || logged("journaled_sends_folded")));
  }
}

namespace {

// The same Redis server, another database: the send-rate buckets of this test's connection
// (named by its id, which every test's fresh database starts at 1) meet no other test's.
std::string own_redis_database(const std::string& url) {
  return url.substr(0, url.rfind('/')) + "/1";
}

// The most sends the fake accepted within any `window`.
std::size_t busiest(std::vector<std::chrono::steady_clock::time_point> times,
                    std::chrono::milliseconds window) {
  std::sort(times.begin(), times.end());
  std::size_t most = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= window) {
      ++first;
    }
    most = std::max(most, last - first + 1);
  }
  return most;
}

}  // namespace

TEST_CASE("three nodes together keep one connection within its send rate",
          "[e2e][dispatch][postgres][redis]") {
  constexpr std::int64_t contact_count = 360;
  constexpr std::int64_t rate = 40;  // CONNECTOR_RATE_PER_SECOND; the bucket holds one second's
  testing::fake_huggy huggy;
  huggy.set_contact_count(contact_count);
  auto db = testing::test_database::postgres();
  std::vector<std::unique_ptr<testing::service_process>> nodes;
  for (int n = 0; n < 3; ++n) {
    auto env = cluster_env(db, huggy);
    env["REDIS_URL"] = own_redis_database(testing::test_redis_url());
    env["CONNECTOR_RATE_PER_SECOND"] = std::to_string(rate);
    env["DISPATCH_MAX_CLAIMED"] = "100";  // every node gets a share
    nodes.push_back(std::make_unique<testing::service_process>(env));
  }
  testing::remote_user user{nodes[0]->base_url(), contact_count};
  const auto batch = user.schedule_all(2s);
  REQUIRE(testing::eventually([&] { return user.batch(batch)["counts"]["sent"] == contact_count; },
                              60s, 50ms));
  auto [missing, repeated] = testing::missing_and_repeated(huggy, contact_count);
  CHECK(missing == 0);
  CHECK(repeated == 0);
  auto owners = db.connect()->execute(
      "SELECT COUNT(DISTINCT detail) FROM message_events WHERE event = 'dispatched'");
  CHECK(std::get<std::int64_t>(owners.rows.at(0).at(0)) == 3);  // all three sent

  // A bucket of `rate` a second holding `rate` gives at most rate * (W + 1) within a window W;
  // a node spends a grant within a second of getting it, hence one more second of slack. Three
  // nodes pacing alone would send three times that (the whole batch within ~2 s).
  const auto times = huggy.delivery_times();
  const auto window = 2s;
  INFO("busiest 2 s: " << busiest(times, window));
  CHECK(busiest(times, window) <= static_cast<std::size_t>(rate * (2 + 1 + 1)));
  // The whole batch takes at least what the rate allows after the first burst, less that slack.
  const auto span =
      *std::max_element(times.begin(), times.end()) - *std::min_element(times.begin(), times.end());
  INFO("sent over " << std::chrono::duration_cast<std::chrono::milliseconds>(span).count()
                    << " ms");
  CHECK(span >= std::chrono::seconds{(contact_count - rate) / rate - 1});
}
