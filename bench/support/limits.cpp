#include "bench/support/limits.hpp"

#include "domain/clock.hpp"
#include "storage/dispatch_store.hpp"

#include <algorithm>

namespace schedulerd::bench {

sql_loop_result run_sql_loop(const testing::test_database& database) {
  auto db = database.connect();
  const auto now = domain::system_now_ms();
  db->execute(
      "UPDATE scheduled_messages SET status = 'pending', attempts = 0, next_attempt_at = $1,"
      " lease_owner = NULL, lease_expires_at = NULL, sent_at = NULL, provider_message_id = NULL"
      " WHERE status = 'sent'",
      {storage::value{now}});
  sql_loop_result result;
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    const auto at = domain::system_now_ms();
    const auto claimed = storage::claim_due(*db, "bench-sql-loop", at, at + 60000, 500);
    if (claimed.empty()) break;
    std::vector<domain::attempt_result> outcomes;
    outcomes.reserve(claimed.size());
    for (const auto& claim : claimed) {
      domain::attempt_result sent;
      sent.claim = claim;
      sent.outcome = domain::attempt_outcome::sent;
      sent.finished_at = at;
      sent.http_status = 201;
      sent.provider_message_id = std::to_string(claim.id);
      outcomes.push_back(std::move(sent));
    }
    storage::record_attempts(*db, "bench-sql-loop", outcomes);
    result.messages += static_cast<std::int64_t>(claimed.size());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.per_second = static_cast<double>(result.messages) / std::max(seconds, 1e-6);
  return result;
}

wrk_result provider_capacity(fake_provider& provider, std::chrono::seconds duration) {
  auto result = run_wrk({"POST",
                         provider.sample_send_url(),
                         {{"Content-Type", "application/json"}},
                         fake_provider::sample_send_body()},
                        50, duration);
  provider.reset();
  return result;
}

}  // namespace schedulerd::bench
