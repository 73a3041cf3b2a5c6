#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pqxx/result>

#include "storage/connection.hpp"

namespace schedulerd::storage {

/// The text forms libpq sends for a statement's parameters, with a null pointer for SQL NULL.
class pg_text_parameters {
 public:
  /// Formats `params`, which must outlive this object (strings are not copied).
  explicit pg_text_parameters(const std::vector<value>& params);

  /// One pointer per parameter, in order.
  [[nodiscard]] const std::vector<const char*>& pointers() const noexcept { return pointers_; }

 private:
  std::vector<std::string> numbers_;
  std::vector<const char*> pointers_;
};

/// Whether a statement writes rows (INSERT/UPDATE/DELETE/MERGE, also inside WITH), from its text;
/// `FOR [NO KEY] UPDATE` row locks do not count.
bool pg_writes_rows(std::string_view sql);

/// Converts a libpq result by column type (integers, oid and bool to int64; float and numeric to
/// double; the rest to string); `writes_rows` as from pg_writes_rows decides `affected_rows`.
result pg_result(const pqxx::result& rows, bool writes_rows);

}  // namespace schedulerd::storage
