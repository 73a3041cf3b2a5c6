#include "storage/field_values_json.hpp"

#include <catch2/catch.hpp>

#include "storage/connection.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;

TEST_CASE("field values are stored as a JSON object of strings and read back", "[storage]") {
  const domain::field_values fields{{"api_token", "****ab12"}, {"company_id", "42"}};
  CHECK(storage::field_values_to_json(fields) == R"({"api_token":"****ab12","company_id":"42"})");
  CHECK(storage::field_values_from_json(storage::field_values_to_json(fields)) == fields);
  CHECK(storage::field_values_to_json({}) == "{}");
  CHECK(storage::field_values_from_json("{}").empty());
}

TEST_CASE("a field values cell that is not an object of strings is a storage error", "[storage]") {
  CHECK_THROWS_AS(storage::field_values_from_json(""), storage::storage_error);
  CHECK_THROWS_AS(storage::field_values_from_json("{\"a\":"), storage::storage_error);
  CHECK_THROWS_AS(storage::field_values_from_json("[\"a\"]"), storage::storage_error);
  CHECK_THROWS_AS(storage::field_values_from_json(R"({"a":1})"), storage::storage_error);
}
