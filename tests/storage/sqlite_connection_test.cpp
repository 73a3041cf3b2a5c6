#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "storage/sqlite_placeholders.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/scoped_umask.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
using schedulerd::testing::permissions_of;
using schedulerd::testing::scoped_umask;
using storage::value;

namespace {

// A fresh directory under the system temp directory, removed with the object.
class temp_directory {
 public:
  temp_directory() {
    auto pattern = (std::filesystem::temp_directory_path() / "schedulerd-sqlite-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  temp_directory(const temp_directory&) = delete;
  temp_directory& operator=(const temp_directory&) = delete;
  ~temp_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("a SQLite database file is created together with its parent directories",
          "[storage][sqlite]") {
  const temp_directory dir;
  const auto file = dir.path() / "var" / "data" / "schedulerd.db";
  auto conn = storage::open_connection("sqlite://" + file.string());
  CHECK(std::filesystem::exists(file));
  CHECK(conn->execute("PRAGMA journal_mode").rows.at(0).at(0) == value{std::string("wal")});
  CHECK(conn->execute("PRAGMA foreign_keys").rows.at(0).at(0) == value{std::int64_t{1}});
  CHECK(conn->execute("PRAGMA synchronous").rows.at(0).at(0) == value{std::int64_t{1}});
}

TEST_CASE("a new SQLite database, its WAL and shared-memory files are private to their owner",
          "[storage][sqlite]") {
  const temp_directory dir;
  const scoped_umask usual_umask{022};
  const auto file = dir.path() / "var" / "data" / "schedulerd.db";
  auto conn = storage::open_connection("sqlite://" + file.string());
  conn->execute_script("CREATE TABLE users (hash TEXT); INSERT INTO users VALUES ('secret');");
  // The WAL and shared-memory files exist while a connection is open.
  CHECK(permissions_of(file.c_str()) == 0600);
  CHECK(permissions_of((file.string() + "-wal").c_str()) == 0600);
  CHECK(permissions_of((file.string() + "-shm").c_str()) == 0600);
  CHECK(permissions_of((dir.path() / "var").c_str()) == 0700);
  CHECK(permissions_of((dir.path() / "var" / "data").c_str()) == 0700);
}

TEST_CASE("an existing SQLite database readable by others is restricted to its owner at open",
          "[storage][sqlite]") {
  const temp_directory dir;
  const scoped_umask usual_umask{022};
  const auto file = dir.path() / "old.db";
  storage::open_connection("sqlite://" + file.string())
      ->execute_script("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);");
  // As an earlier version left it, with an empty WAL file from a crash beside it.
  REQUIRE(::chmod(file.c_str(), 0644) == 0);
  const auto wal = file.string() + "-wal";
  const int fd = ::open(wal.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  ::close(fd);
  REQUIRE(permissions_of(wal.c_str()) == 0644);

  auto conn = storage::open_connection("sqlite://" + file.string());
  CHECK(conn->execute("SELECT x FROM t").rows.at(0).at(0) == value{std::int64_t{7}});
  CHECK(permissions_of(file.c_str()) == 0600);
  CHECK(permissions_of(wal.c_str()) == 0600);
}

TEST_CASE("an existing directory keeps the mode its operator gave it", "[storage][sqlite]") {
  const temp_directory dir;
  const scoped_umask usual_umask{022};
  const auto shared = dir.path() / "shared";
  std::filesystem::create_directory(shared);
  REQUIRE(::chmod(shared.c_str(), 0755) == 0);
  storage::open_connection("sqlite://" + (shared / "app.db").string());
  CHECK(permissions_of(shared.c_str()) == 0755);
  CHECK(permissions_of((shared / "app.db").c_str()) == 0600);
}

TEST_CASE("a relative sqlite:// path is resolved against the working directory",
          "[storage][sqlite]") {
  const temp_directory dir;
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  try {
    storage::open_connection("sqlite://var/relative.db")->execute("CREATE TABLE t (x INTEGER)");
  } catch (...) {
    std::filesystem::current_path(previous);
    throw;
  }
  std::filesystem::current_path(previous);
  CHECK(std::filesystem::exists(dir.path() / "var" / "relative.db"));
}

TEST_CASE("a SQLite file keeps its data across connections", "[storage][sqlite]") {
  const temp_directory dir;
  const auto url = "sqlite://" + (dir.path() / "keep.db").string();
  storage::open_connection(url)->execute_script(
      "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept');");
  CHECK(storage::open_connection(url)->execute("SELECT body FROM notes").rows.at(0).at(0) ==
        value{std::string("kept")});
}

TEST_CASE("sqlite::memory: opens a private in-memory database", "[storage][sqlite]") {
  auto first = storage::open_connection("sqlite::memory:");
  auto second = storage::open_connection("sqlite::memory:");
  first->execute("CREATE TABLE only_here (x INTEGER)");
  CHECK(first->execute("SELECT COUNT(*) FROM only_here").rows.at(0).at(0) ==
        value{std::int64_t{0}});
  CHECK_THROWS_AS(second->execute("SELECT COUNT(*) FROM only_here"), storage::storage_error);
  CHECK(first->kind() == storage::dialect::sqlite);
}

TEST_CASE("a SQLite blob comes back as the same bytes", "[storage][sqlite]") {
  auto conn = storage::open_connection("sqlite::memory:");
  const auto answer = conn->execute("SELECT X'00FF41'");
  CHECK(answer.rows.at(0).at(0) == value{std::string("\0\xFF"
                                                     "A",
                                                     3)});
}

TEST_CASE("a SQLite statement given the wrong number of parameters is refused",
          "[storage][sqlite]") {
  auto conn = storage::open_connection("sqlite::memory:");
  CHECK_THROWS_AS(conn->execute("SELECT $1, $2", {std::int64_t{1}}), storage::storage_error);
  CHECK_THROWS_AS(conn->execute("SELECT 1", {std::int64_t{1}}), storage::storage_error);
  CHECK(conn->execute("SELECT $2, $1", {std::int64_t{1}, std::int64_t{2}}).rows.at(0) ==
        std::vector<value>{std::int64_t{2}, std::int64_t{1}});
}

TEST_CASE("$N placeholders become ?N only outside quotes and comments", "[storage][sqlite]") {
  using storage::sqlite_placeholders;
  CHECK(sqlite_placeholders("SELECT $1, $12 FROM t WHERE a = $2") ==
        "SELECT ?1, ?12 FROM t WHERE a = ?2");
  CHECK(sqlite_placeholders("SELECT '$1', 'it''s $2', $3") == "SELECT '$1', 'it''s $2', ?3");
  CHECK(sqlite_placeholders("SELECT \"$1\", `$2`, [$3] FROM t") ==
        "SELECT \"$1\", `$2`, [$3] FROM t");
  CHECK(sqlite_placeholders("SELECT 1 -- $1\n, $2 /* $3 */") == "SELECT 1 -- $1\n, ?2 /* $3 */");
  CHECK(sqlite_placeholders("SELECT a$1, $x, $") == "SELECT a$1, $x, $");
  CHECK(sqlite_placeholders("SELECT 'unterminated $1") == "SELECT 'unterminated $1");
  CHECK(sqlite_placeholders("SELECT ($1+$2)") == "SELECT (?1+?2)");
}

TEST_CASE("an unknown database URL scheme is refused without echoing the URL", "[storage]") {
  try {
    storage::open_connection("mysql://root:hunter2@db/app");
    FAIL("the URL was accepted");
  } catch (const storage::storage_error& error) {
    CHECK(error.kind() == storage::failure::other);
    CHECK(std::string(error.what()).find("hunter2") == std::string::npos);
  }
  CHECK_THROWS_AS(storage::open_connection("sqlite://"), storage::storage_error);
  CHECK_THROWS_AS(storage::open_connection(""), storage::storage_error);
}
