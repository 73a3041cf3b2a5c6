#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "storage/connection.hpp"

// Multi-row INSERTs write a batch in one round trip. Splitting every batch into the same few row
// counts keeps the number of distinct statement texts (each prepared once per connection) small.

namespace schedulerd::storage {

/// The most rows one multi-row statement carries.
inline constexpr std::size_t max_rows_per_statement = 128;

/// How `count` rows split into statements: powers of two up to max_rows_per_statement, largest
/// first (`300` → 128, 128, 32, 8, 4).
std::vector<std::size_t> row_batches(std::size_t count);

/// `rows` groups of `columns` consecutive placeholders numbered from `$first`:
/// `($1, $2), ($3, $4)` for 2 rows of 2 columns.
std::string placeholder_rows(std::size_t rows, std::size_t columns, std::size_t first = 1);

/// PostgreSQL takes a whole list as one parameter, parsed and planned once: the text form of a
/// `BIGINT[]` holding `numbers` (`{1,2,3}`), for `CAST($n AS BIGINT[])`.
std::string bigint_array(const std::vector<std::int64_t>& numbers);

/// The text form of a PostgreSQL array of `cells`, for `CAST($n AS type[])`: numbers as they are,
/// texts quoted and escaped, and NULL for an empty cell; one parameter then carries a column.
std::string array_literal(const std::vector<value>& cells);

/// One parameter per column of `rows`, the array text of that column's cells: PostgreSQL then
/// takes every row in one statement with `unnest`.
template <std::size_t Columns>
std::vector<value> column_arrays(std::vector<std::array<value, Columns>> rows) {
  std::vector<value> params;
  params.reserve(Columns);
  std::vector<value> column;
  column.reserve(rows.size());
  for (std::size_t index = 0; index < Columns; ++index) {
    column.clear();
    for (auto& row : rows) column.push_back(std::move(row.at(index)));
    params.emplace_back(array_literal(column));
  }
  return params;
}

/// Inserts `rows` with multi-row statements `head VALUES (...), (...) tail`, split by
/// row_batches: the form for SQLite, which takes no arrays.
template <std::size_t Columns>
void insert_value_rows(connection& db, const std::string& head,
                       std::vector<std::array<value, Columns>> rows, const std::string& tail = {}) {
  std::size_t next = 0;
  for (const auto count : row_batches(rows.size())) {
    std::vector<value> params;
    params.reserve(count * Columns);
    for (const auto end = next + count; next < end; ++next) {
      params.insert(params.end(), std::make_move_iterator(rows[next].begin()),
                    std::make_move_iterator(rows[next].end()));
    }
    std::string sql = head;
    sql += " VALUES ";
    sql += placeholder_rows(count, Columns);
    sql += tail;
    db.execute(sql, params);
  }
}

}  // namespace schedulerd::storage
