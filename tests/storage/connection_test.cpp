#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "storage/connection.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;
using storage::value;

namespace {

constexpr auto sample_table =
    "CREATE TABLE sample (i BIGINT, r DOUBLE PRECISION, t TEXT, n BIGINT)";

std::int64_t count_rows(storage::connection& db, const std::string& table) {
  return std::get<std::int64_t>(db.execute("SELECT COUNT(*) FROM " + table).rows.at(0).at(0));
}

storage::failure failure_of(storage::connection& db, std::string_view sql,
                            const std::vector<value>& params) {
  try {
    db.execute(sql, params);
  } catch (const storage::storage_error& error) {
    return error.kind();
  }
  FAIL("the statement was expected to fail: " << sql);
  return storage::failure::other;
}

}  // namespace

TEST_CASE("every value type survives a round trip, NULL included", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute(sample_table);
    const std::vector<std::vector<value>> stored = {
        {std::numeric_limits<std::int64_t>::max(), 0.1, std::string("h\xC3\xA9llo 'quoted' \"x\""),
         std::monostate{}},
        {std::numeric_limits<std::int64_t>::min(), -2.5e300, std::string(), std::int64_t{0}},
        {std::int64_t{7}, std::monostate{}, std::monostate{}, std::int64_t{-1}},
    };
    for (const auto& row : stored) {
      CHECK(conn->execute("INSERT INTO sample (i, r, t, n) VALUES ($1, $2, $3, $4)", row)
                .affected_rows == 1);
    }
    const auto read = conn->execute("SELECT i, r, t, n FROM sample ORDER BY n NULLS FIRST");
    CHECK(read.columns == std::vector<std::string>{"i", "r", "t", "n"});
    REQUIRE(read.rows.size() == 3);
    CHECK(read.rows[0] == stored[0]);
    CHECK(read.rows[1] == stored[2]);
    CHECK(read.rows[2] == stored[1]);
  }
}

TEST_CASE("parameters may appear out of order and more than once", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute("CREATE TABLE pairs (a BIGINT, b BIGINT, c BIGINT, label TEXT)");
    conn->execute("INSERT INTO pairs (a, b, c, label) VALUES ($2, $1, $2, $3)",
                  {std::int64_t{1}, std::int64_t{2}, std::string("first")});
    const auto found = conn->execute("SELECT label, a + b + c FROM pairs WHERE a = $2 AND b = $1",
                                     {std::int64_t{1}, std::int64_t{2}});
    REQUIRE(found.rows.size() == 1);
    CHECK(found.rows[0] == std::vector<value>{std::string("first"), std::int64_t{5}});
  }
}

TEST_CASE("common parameter positions need no casts on either backend", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute(sample_table);
    for (std::int64_t i = 1; i <= 5; ++i) {
      conn->execute("INSERT INTO sample (i, r, t) VALUES ($1, $2, $3)",
                    {i, static_cast<double>(i) / 2, "row " + std::to_string(i)});
    }
    // An optional filter, LIKE, arithmetic on a column, LIMIT and OFFSET, each from a parameter.
    // PostgreSQL types a parameter where it first appears, so `$2 IS NULL` comes second.
    const auto page = conn->execute(
        "SELECT i, r * $1 FROM sample WHERE (t LIKE $2 OR $2 IS NULL) AND i >= $3 "
        "ORDER BY i LIMIT $4 OFFSET $5",
        {2.0, std::string("row %"), std::int64_t{2}, std::int64_t{2}, std::int64_t{1}});
    REQUIRE(page.rows.size() == 2);
    CHECK(page.rows[0] == std::vector<value>{std::int64_t{3}, 3.0});
    CHECK(page.rows[1] == std::vector<value>{std::int64_t{4}, 4.0});
    const auto unfiltered =
        conn->execute("SELECT COUNT(*) FROM sample WHERE (CAST($1 AS TEXT) IS NULL OR t LIKE $1)",
                      {std::monostate{}});
    CHECK(unfiltered.rows.at(0).at(0) == value{std::int64_t{5}});
    const auto untyped = conn->execute("SELECT $1", {std::int64_t{42}});
    CHECK(untyped.rows.at(0).at(0) == (db.kind() == storage::dialect::postgres
                                           ? value{std::string("42")}
                                           : value{std::int64_t{42}}));
    const auto updated =
        conn->execute("UPDATE sample SET i = i + $1 WHERE t = $2", {std::int64_t{10}, "row 1"});
    CHECK(updated.affected_rows == 1);
    const auto cast = conn->execute("SELECT CAST($1 AS BIGINT)", {std::int64_t{42}});
    CHECK(cast.rows.at(0).at(0) == value{std::int64_t{42}});
  }
}

TEST_CASE("a $1 inside a string literal or quoted name is not a parameter", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto answer = conn->execute("SELECT '$1' AS \"$2\", $1 AS plain", {std::string("bound")});
    CHECK(answer.columns == std::vector<std::string>{"$2", "plain"});
    CHECK(answer.rows.at(0) == std::vector<value>{std::string("$1"), std::string("bound")});
  }
}

TEST_CASE("RETURNING hands back the generated id", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto insert = [&](const std::string& email) {
      const auto answer = conn->execute(
          "INSERT INTO users (name, email, created_at, updated_at) VALUES ($1, $2, $3, $3) "
          "RETURNING id, email",
          {std::string("Ada"), email, std::int64_t{1700000000000}});
      CHECK(answer.affected_rows == 1);
      REQUIRE(answer.rows.size() == 1);
      CHECK(answer.rows[0][1] == value{email});
      return std::get<std::int64_t>(answer.rows[0][0]);
    };
    const auto first = insert("ada@example.com");
    const auto second = insert("grace@example.com");
    CHECK(first > 0);
    CHECK(second > first);
    const auto found = conn->execute("SELECT email FROM users WHERE id = $1", {second});
    CHECK(found.rows.at(0).at(0) == value{std::string("grace@example.com")});
  }
}

TEST_CASE("affected_rows counts the rows a statement changed", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute(sample_table);
    CHECK(conn->execute("INSERT INTO sample (i) VALUES (1), (2), (3)").affected_rows == 3);
    CHECK(
        conn->execute("UPDATE sample SET t = 'x' WHERE i >= $1", {std::int64_t{2}}).affected_rows ==
        2);
    CHECK(conn->execute("UPDATE sample SET t = 'y' WHERE i > 100").affected_rows == 0);
    CHECK(conn->execute("SELECT * FROM sample").affected_rows == 0);
    CHECK(conn->execute("CREATE TABLE other (x BIGINT)").affected_rows == 0);
    CHECK(conn->execute("DELETE FROM sample WHERE i = $1", {std::int64_t{1}}).affected_rows == 1);
    const auto returned = conn->execute(
        "WITH chosen AS (SELECT i FROM sample WHERE i >= $1) "
        "UPDATE sample SET t = 'z' WHERE i IN (SELECT i FROM chosen) RETURNING i",
        {std::int64_t{2}});
    CHECK(returned.rows.size() == 2);
    CHECK(returned.affected_rows == 2);
    CHECK(conn->execute("WITH s AS (SELECT i FROM sample) SELECT i FROM s").affected_rows == 0);
  }
}

TEST_CASE("a duplicate key is reported as a unique violation", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
    conn->execute("INSERT INTO kv (k, v) VALUES ($1, $2)", {"a", "1"});
    CHECK(failure_of(*conn, "INSERT INTO kv (k, v) VALUES ($1, $2)", {"a", "2"}) ==
          storage::failure::unique_violation);
    CHECK(failure_of(*conn, "INSERT INTO kv (k, v) VALUES ($1, $2)", {"b", "1"}) ==
          storage::failure::unique_violation);
    CHECK(failure_of(*conn, "INSERT INTO kv (k, v) VALUES ($1, $2)", {"c", std::monostate{}}) ==
          storage::failure::other);
    CHECK(count_rows(*conn, "kv") == 1);
  }
}

TEST_CASE("a broken statement fails cleanly and the connection stays usable", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    CHECK(failure_of(*conn, "SELEC 1", {}) == storage::failure::other);
    CHECK(failure_of(*conn, "SELECT * FROM missing_table", {}) == storage::failure::other);
    CHECK(failure_of(*conn, "SELECT 1; SELECT 2", {}) == storage::failure::other);
    CHECK(conn->ping());
    CHECK(conn->execute("SELECT 1 + 1").rows.at(0).at(0) == value{std::int64_t{2}});
  }
}

TEST_CASE("a rolled back transaction leaves nothing behind", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute(sample_table);
    conn->begin();
    conn->execute("INSERT INTO sample (i) VALUES (1)");
    CHECK(count_rows(*conn, "sample") == 1);
    conn->rollback();
    CHECK(count_rows(*conn, "sample") == 0);
    conn->rollback();  // nothing open: harmless
    CHECK(conn->ping());
  }
}

TEST_CASE("committed work becomes visible to other connections only at commit", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto writer = db.connect();
    auto reader = db.connect();
    writer->execute(sample_table);
    writer->begin();
    writer->execute("INSERT INTO sample (i) VALUES (1), (2)");
    CHECK(count_rows(*reader, "sample") == 0);
    writer->commit();
    CHECK(count_rows(*reader, "sample") == 2);
  }
}

TEST_CASE("a failed statement dooms its transaction on both backends", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->execute("CREATE TABLE kv (k TEXT PRIMARY KEY)");
    conn->begin();
    conn->execute("INSERT INTO kv (k) VALUES ('a')");
    CHECK(failure_of(*conn, "INSERT INTO kv (k) VALUES ('a')", {}) ==
          storage::failure::unique_violation);
    CHECK(failure_of(*conn, "INSERT INTO kv (k) VALUES ('b')", {}) == storage::failure::other);
    CHECK_THROWS_AS(conn->commit(), storage::storage_error);
    CHECK(count_rows(*conn, "kv") == 0);
    conn->begin();  // the failed transaction is over, a new one starts cleanly
    conn->execute("INSERT INTO kv (k) VALUES ('c')");
    conn->commit();
    CHECK(count_rows(*conn, "kv") == 1);
  }
}

TEST_CASE("a transaction cannot be nested or committed twice", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    conn->begin();
    CHECK_THROWS_AS(conn->begin(), storage::storage_error);
    conn->commit();
    CHECK_THROWS_AS(conn->commit(), storage::storage_error);
  }
}

TEST_CASE("more distinct statements than the statement cache holds all run correctly",
          "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    for (int round = 0; round < 2; ++round) {
      for (std::int64_t n = 0; n < 300; ++n) {
        const auto sql = "SELECT CAST($1 AS BIGINT) + " + std::to_string(n);
        REQUIRE(conn->execute(sql, {std::int64_t{round}}).rows.at(0).at(0) == value{n + round});
      }
    }
  }
}
