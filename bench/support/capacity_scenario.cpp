#include "bench/support/capacity_scenario.hpp"

#include "bench/support/dispatch_scenarios.hpp"
#include "bench/support/wrk.hpp"
#include "domain/clock.hpp"

#include <algorithm>

namespace schedulerd::bench {

namespace {

constexpr std::int64_t one_day_ms = 24LL * 3600 * 1000;

// Inserts `rows` pending messages of the database's one user, spread over its contacts and over
// the 30 days after `from_ms`, straight into the table (the API would take minutes), then lets the
// database settle as one that filled over weeks would have: vacuumed and checkpointed. Left
// alone, the checkpoint the insert's WAL requests (with a full-page image for the first change
// of every page after it) and the autovacuum of a million new rows run through the burst, and
// the autovacuum of the contacts just imported through the list's measurement, whenever its
// one-minute nap happens to end.
void seed(const testing::test_database& database, std::int64_t rows, std::int64_t from_ms) {
  auto db = database.connect();
  db->execute(
      "WITH c AS (SELECT array_agg(contacts.id ORDER BY contacts.id) AS ids, count(*) AS n,"
      "                  min(providers.user_id) AS user_id, min(providers.id) AS provider_id"
      "             FROM contacts JOIN providers ON providers.id = contacts.provider_id)"
      " INSERT INTO scheduled_messages (user_id, provider_id, contact_id, content, send_at,"
      "                                 next_attempt_at, created_at, updated_at)"
      " SELECT c.user_id, c.provider_id, c.ids[1 + g % c.n], 'capacity ' || g,"
      "        CAST($2 AS BIGINT) + g * (2592000000 / CAST($1 AS BIGINT)),"
      "        CAST($2 AS BIGINT) + g * (2592000000 / CAST($1 AS BIGINT)), CAST($3 AS BIGINT),"
      "        CAST($3 AS BIGINT)"
      "   FROM c, generate_series(1, CAST($1 AS BIGINT)) AS g",
      {storage::value{rows}, storage::value{from_ms}, storage::value{domain::system_now_ms()}});
  db->execute_script("VACUUM (ANALYZE)");
  db->execute_script("CHECKPOINT");
}

}  // namespace

void run_capacity(const run_context& ctx) {
  if (ctx.backend != "postgres") {
    ctx.out.add("capacity", ctx.backend, ctx.run, "skipped", "PostgreSQL only");
    return;
  }
  const std::int64_t rows = ctx.smoke ? 10000 : 1000000;
  const std::int64_t burst = ctx.smoke ? 200 : 20000;
  const auto contacts = std::min<std::int64_t>(burst, 10000);
  node service{{ctx.backend, {std::chrono::milliseconds{0}, 0, contacts}, 50}};
  remote_user user{service.base_url(), contacts};

  const auto seed_started = std::chrono::steady_clock::now();
  seed(service.database(), rows, domain::system_now_ms() + one_day_ms);
  const double seed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - seed_started).count();
  ctx.out.add("capacity", ctx.backend, ctx.run,
              "pending messages seeded (SQL, vacuumed, checkpointed)",
              std::to_string(rows) + " in " + format(seed_s, 1, "s"));

  service.restart();
  user.rebase(service.base_url());
  const auto start_s = static_cast<double>(service.start_time().count()) / 1000.0;
  ctx.out.add("capacity", ctx.backend, ctx.run, "start-up (exec to listening)",
              format(start_s, 2, "s"), "<= 5 s", start_s <= 5);
  const auto rss_mb = static_cast<double>(service.peak_rss_kb()) / 1024.0;
  ctx.out.add("capacity", ctx.backend, ctx.run, "peak RSS after start-up", format(rss_mb, 1, "MB"),
              "<= 100 MB", rss_mb <= 100);

  const auto list = run_wrk(wrk_as(user, "GET", "/api/scheduled-messages?per_page=25"), 50,
                            std::chrono::seconds{ctx.smoke ? 1 : 5});
  ctx.out.add("capacity", ctx.backend, ctx.run, "list (wrk, 50 conns) rate",
              format(list.per_second, 0, "req/s"));
  ctx.out.add("capacity", ctx.backend, ctx.run, "list p99", format(list.p99_ms, 1, "ms"),
              "<= 50 ms", list.p99_ms <= 50);

  measure_burst(ctx, service, user, burst, "capacity");
}

}  // namespace schedulerd::bench
