#include "storage/message_counts.hpp"

#include "storage/row_cells.hpp"

namespace schedulerd::storage {

std::int64_t fold_message_counts(connection& db) {
  if (db.kind() == dialect::sqlite) return 0;
  // One statement, so one transaction: readers see each change either pending or folded. Two
  // nodes folding at once delete (and so fold) distinct changes, and both update the counts in
  // key order, so neither can wait on the other in a cycle.
  return integer_at(
      db.execute("WITH folded AS (DELETE FROM message_count_deltas"
                 " RETURNING user_id, provider_id, status, delta),"
                 " summed AS (SELECT user_id, provider_id, status, SUM(delta) AS delta,"
                 " COUNT(*) AS changes FROM folded GROUP BY user_id, provider_id, status),"
                 " applied AS (INSERT INTO message_counts (user_id, provider_id, status, n)"
                 " SELECT user_id, provider_id, status, delta FROM summed"
                 " ORDER BY user_id, provider_id, status"
                 " ON CONFLICT (user_id, provider_id, status)"
                 " DO UPDATE SET n = message_counts.n + EXCLUDED.n RETURNING 1)"
                 " SELECT CAST(COALESCE(SUM(changes), 0) AS BIGINT) FROM summed")
          .rows.at(0),
      0);
}

}  // namespace schedulerd::storage
