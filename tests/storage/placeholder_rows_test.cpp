#include "storage/placeholder_rows.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

namespace storage = schedulerd::storage;

TEST_CASE("rows split into a few power-of-two batches, largest first", "[storage][rows]") {
  CHECK(storage::row_batches(0).empty());
  CHECK(storage::row_batches(1) == std::vector<std::size_t>{1});
  CHECK(storage::row_batches(20) == std::vector<std::size_t>{16, 4});
  CHECK(storage::row_batches(300) == std::vector<std::size_t>{128, 128, 32, 8, 4});
  for (std::size_t count = 0; count < 600; ++count) {
    const auto batches = storage::row_batches(count);
    CHECK(std::accumulate(batches.begin(), batches.end(), std::size_t{0}) == count);
  }
}

TEST_CASE("placeholder rows number their parameters consecutively", "[storage][rows]") {
  CHECK(storage::placeholder_rows(1, 1) == "($1)");
  CHECK(storage::placeholder_rows(2, 3) == "($1, $2, $3), ($4, $5, $6)");
  CHECK(storage::placeholder_rows(2, 2, 3) == "($3, $4), ($5, $6)");
}

TEST_CASE("a list of numbers becomes PostgreSQL's array text, in order", "[storage][rows]") {
  CHECK(storage::bigint_array({}) == "{}");
  CHECK(storage::bigint_array({7}) == "{7}");
  CHECK(storage::bigint_array({3, -1, 2}) == "{3,-1,2}");
  CHECK(storage::bigint_array({std::numeric_limits<std::int64_t>::min()}) ==
        "{-9223372036854775808}");
}

TEST_CASE("a column of cells becomes PostgreSQL's array text, texts quoted and escaped",
          "[storage][rows]") {
  using storage::value;
  CHECK(storage::array_literal({}) == "{}");
  CHECK(storage::array_literal({value{std::int64_t{-4}}, value{}, value{std::int64_t{9}}}) ==
        "{-4,NULL,9}");
  CHECK(storage::array_literal({value{0.5}}) == "{0.5}");
  // An empty text is not NULL, and the word NULL in quotes is text.
  CHECK(storage::array_literal({value{std::string{}}, value{std::string{"NULL"}}}) ==
        R"({"","NULL"})");
  CHECK(storage::array_literal({value{std::string{R"(say "hi", {to} C:\temp)"}}}) ==
        R"({"say \"hi\", {to} C:\\temp"})");
}
