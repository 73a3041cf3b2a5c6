#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "storage/pg_values.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;
using storage::value;

namespace {

// A loopback port nobody listens on: bound to get a free number, then closed again.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE(bound);
  return ntohs(address.sin_port);
}

storage::failure pg_failure_of(storage::connection& db, std::string_view sql) {
  try {
    db.execute(sql);
  } catch (const storage::storage_error& error) {
    return error.kind();
  }
  FAIL("the statement was expected to fail: " << sql);
  return storage::failure::other;
}

}  // namespace

TEST_CASE("connecting to a PostgreSQL port nobody listens on fails fast as connection lost",
          "[storage][postgres]") {
  const auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(closed_port()) + "/postgres";
  const auto started = std::chrono::steady_clock::now();
  try {
    storage::open_connection(url);
    FAIL("connecting succeeded");
  } catch (const storage::storage_error& error) {
    CHECK(error.kind() == storage::failure::connection_lost);
  }
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("a PostgreSQL connection whose server process was killed reports itself lost",
          "[storage][postgres]") {
  const auto db = testing::test_database::postgres(testing::schema::empty);
  auto victim = db.connect();
  auto killer = db.connect();
  const auto pid = victim->execute("SELECT pg_backend_pid()").rows.at(0).at(0);
  CHECK(killer->execute("SELECT pg_terminate_backend($1)", {pid}).rows.at(0).at(0) ==
        value{std::int64_t{1}});

  CHECK(pg_failure_of(*victim, "SELECT 1") == storage::failure::connection_lost);
  CHECK_FALSE(victim->ping());
  // It stays lost rather than quietly reconnecting behind the caller's back.
  CHECK(pg_failure_of(*victim, "SELECT 1") == storage::failure::connection_lost);
  CHECK_THROWS_AS(victim->begin(), storage::storage_error);
  victim->rollback();
  CHECK(killer->ping());
  CHECK(db.connect()->ping());
}

TEST_CASE("a PostgreSQL connection killed inside a transaction reports itself lost",
          "[storage][postgres]") {
  const auto db = testing::test_database::postgres(testing::schema::empty);
  auto victim = db.connect();
  auto killer = db.connect();
  victim->execute("CREATE TABLE t (x BIGINT)");
  const auto pid = victim->execute("SELECT pg_backend_pid()").rows.at(0).at(0);
  victim->begin();
  victim->execute("INSERT INTO t (x) VALUES ($1)", {std::int64_t{1}});
  killer->execute("SELECT pg_terminate_backend($1)", {pid});
  // This time the failing statement was prepared before the kill.
  try {
    victim->execute("INSERT INTO t (x) VALUES ($1)", {std::int64_t{2}});
    FAIL("the insert succeeded on a killed connection");
  } catch (const storage::storage_error& error) {
    CHECK(error.kind() == storage::failure::connection_lost);
  }
  try {
    victim->commit();
    FAIL("commit succeeded on a lost connection");
  } catch (const storage::storage_error& error) {
    CHECK(error.kind() == storage::failure::connection_lost);
  }
  CHECK(killer->execute("SELECT COUNT(*) FROM t").rows.at(0).at(0) == value{std::int64_t{0}});
}

TEST_CASE("PostgreSQL booleans, small integers and numerics come back as numbers",
          "[storage][postgres]") {
  const auto db = testing::test_database::postgres(testing::schema::empty);
  auto conn = db.connect();
  const auto answer = conn->execute(
      "SELECT true, false, CAST(7 AS smallint), CAST(1.5 AS numeric), CAST(0.25 AS real), "
      "CAST('x' AS varchar), CAST(NULL AS boolean), CAST(26 AS oid)");
  CHECK(answer.rows.at(0) == std::vector<value>{std::int64_t{1}, std::int64_t{0}, std::int64_t{7},
                                                1.5, 0.25, std::string("x"), std::monostate{},
                                                std::int64_t{26}});
}

TEST_CASE("statements that write rows are told apart from reads and row locks",
          "[storage][postgres]") {
  using storage::pg_writes_rows;
  CHECK(pg_writes_rows("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING RETURNING id"));
  CHECK(pg_writes_rows("  update t SET x = 1"));
  CHECK(pg_writes_rows("DELETE FROM t"));
  CHECK(
      pg_writes_rows("WITH due AS (SELECT id FROM t FOR UPDATE SKIP LOCKED) "
                     "UPDATE t SET x = 1 FROM due WHERE t.id = due.id RETURNING t.id"));
  CHECK_FALSE(pg_writes_rows("SELECT id FROM t WHERE updated_at > 0 FOR UPDATE SKIP LOCKED"));
  CHECK_FALSE(pg_writes_rows("WITH x AS (SELECT 1 FROM t FOR NO KEY UPDATE) SELECT * FROM x"));
  CHECK_FALSE(pg_writes_rows("CREATE TABLE t (x BIGINT)"));
  CHECK_FALSE(pg_writes_rows(""));
}

TEST_CASE("a PostgreSQL claim query with SKIP LOCKED hands each row to one connection",
          "[storage][postgres]") {
  const auto db = testing::test_database::postgres(testing::schema::empty);
  auto first = db.connect();
  auto second = db.connect();
  first->execute("CREATE TABLE jobs (id BIGINT PRIMARY KEY, state TEXT NOT NULL)");
  first->execute("INSERT INTO jobs VALUES (1, 'queued'), (2, 'queued')");
  constexpr auto claim =
      "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED";
  first->begin();
  second->begin();
  const auto a = first->execute(claim);
  const auto b = second->execute(claim);
  CHECK(a.affected_rows == 0);
  CHECK(a.rows.at(0).at(0) == value{std::int64_t{1}});
  CHECK(b.rows.at(0).at(0) == value{std::int64_t{2}});
  first->commit();
  second->commit();
}
