#include "storage/status_totals.hpp"

#include "storage/row_cells.hpp"

namespace schedulerd::storage {

std::map<std::string, std::int64_t> message_totals_by_status(connection& db) {
  std::map<std::string, std::int64_t> totals{
      {"pending", 0}, {"processing", 0}, {"sent", 0}, {"failed", 0}, {"cancelled", 0}};
  auto counted = db.execute(
      "SELECT status, CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM"
      " (SELECT status, n FROM message_counts"
      " UNION ALL SELECT status, delta AS n FROM message_count_deltas) AS counted"
      " GROUP BY status");
  for (const auto& row : counted.rows) {
    totals[text_at(row, 0)] = integer_at(row, 1);
  }
  return totals;
}

}  // namespace schedulerd::storage
