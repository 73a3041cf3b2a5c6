#include "storage/row_cells.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::storage;

namespace {

const std::vector<value> row{std::int64_t{7}, std::string("ada"), std::monostate{}, 2.5};

}  // namespace

TEST_CASE("a NULL cell reads as absent only where the caller allows it", "[storage][rows]") {
  CHECK(optional_integer_at(row, 2) == std::nullopt);
  CHECK(optional_text_at(row, 2) == std::nullopt);
  CHECK_THROWS_AS(integer_at(row, 2), storage_error);
  CHECK_THROWS_AS(text_at(row, 2), storage_error);
}

TEST_CASE("cells of the expected type are read as they are", "[storage][rows]") {
  CHECK(integer_at(row, 0) == 7);
  CHECK(optional_integer_at(row, 0) == 7);
  CHECK(text_at(row, 1) == "ada");
  CHECK(optional_text_at(row, 1) == "ada");
}

TEST_CASE("a cell of another type is a schema bug, never a silent default", "[storage][rows]") {
  CHECK_THROWS_AS(integer_at(row, 1), storage_error);
  CHECK_THROWS_AS(optional_integer_at(row, 3), storage_error);
  CHECK_THROWS_AS(text_at(row, 0), storage_error);
  CHECK_THROWS_AS(optional_text_at(row, 3), storage_error);
  CHECK_THROWS_AS(integer_at(row, 9), std::out_of_range);
}

TEST_CASE("optional parameters travel as NULL", "[storage][rows]") {
  CHECK(nullable(std::nullopt) == value{});
  CHECK(nullable(5) == value{std::int64_t{5}});
  CHECK(null_if_empty("") == value{});
  CHECK(null_if_empty("x") == value{std::string("x")});
}
