#include "storage/sqlite_connection.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <system_error>
#include <thread>

#include "config/private_directory.hpp"
#include "config/unique_fd.hpp"
#include "storage/sqlite_placeholders.hpp"
#include "storage/statement_cache.hpp"

namespace schedulerd::storage {
namespace {

// Dynamically built SQL (filters, IN lists) could otherwise grow the cache without bound.
constexpr std::size_t statement_cache_capacity = 256;
constexpr int busy_timeout_ms = 5000;

struct database_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct statement_finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using database_ptr = std::unique_ptr<sqlite3, database_closer>;
using statement_ptr = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

// Resets a cached statement however execution ends: an unreset statement would keep its read
// snapshot (blocking WAL checkpoints) and its bindings, which point into the caller's parameters.
class statement_use {
 public:
  explicit statement_use(sqlite3_stmt* stmt) : stmt_(stmt) {}
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;
  ~statement_use() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

std::string excerpt(std::string_view sql) {
  constexpr std::size_t limit = 160;
  return sql.size() <= limit ? std::string(sql) : std::string(sql.substr(0, limit)) + "...";
}

value column_value(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, column));
      return bytes == nullptr ? std::string() : std::string(bytes, size);
    }
    default:
      return std::monostate{};
  }
}

int bind(sqlite3_stmt* stmt, int index, const value& param) {
  if (const auto* i = std::get_if<std::int64_t>(&param)) return sqlite3_bind_int64(stmt, index, *i);
  if (const auto* d = std::get_if<double>(&param)) return sqlite3_bind_double(stmt, index, *d);
  if (const auto* s = std::get_if<std::string>(&param)) {
    // SQLITE_STATIC: the parameters outlive the statement's use, and statement_use unbinds them.
    return sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  return sqlite3_bind_null(stmt, index);
}

bool only_separators(const char* tail) {
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ';' && std::isspace(static_cast<unsigned char>(*tail)) == 0) return false;
  }
  return true;
}

// Takes group and other permissions away from the regular file open as `fd`.
void restrict_to_owner(int fd, const std::string& path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || (info.st_mode & 077U) == 0) return;
  if (::fchmod(fd, info.st_mode & 0700U) != 0) {
    const std::error_code cause{errno, std::generic_category()};
    throw storage_error(failure::other,
                        "sqlite: cannot restrict " + path + " to its owner: " + cause.message());
  }
}

// The database holds password and token hashes, so only its owner may read it. SQLite creates a
// new database with mode 0644 less the umask, but gives the -wal, -shm and -journal files it
// creates the database file's own mode: creating the database file 0600 first covers them all,
// without touching the process's umask. A file an earlier version (or a crash) left readable by
// others is narrowed here, at open.
void make_database_private(const std::string& path) {
  const config::unique_fd database{::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600)};
  if (database.get() < 0) {
    const std::error_code cause{errno, std::generic_category()};
    throw storage_error(failure::other, "sqlite: cannot open " + path + ": " + cause.message());
  }
  restrict_to_owner(database.get(), path);
  // SQLite keeps its side files next to the file a symbolic link points to.
  std::error_code error;
  const auto real = std::filesystem::canonical(path, error);
  const auto base = error ? path : real.string();
  for (const auto* suffix : {"-wal", "-shm", "-journal"}) {
    const auto side = base + suffix;
    const config::unique_fd file{::open(side.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (file.get() >= 0) restrict_to_owner(file.get(), side);
  }
}

class sqlite_connection final : public connection {
 public:
  explicit sqlite_connection(const std::string& path) {
    const bool in_memory = path == ":memory:";
    if (!in_memory) create_parent_directory(path);
    // A `file:` URI is SQLite's to interpret (Debian builds it with SQLITE_USE_URI).
    if (!in_memory && path.rfind("file:", 0) != 0) make_database_private(path);
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);  // SQLite hands out a handle even when opening fails; it must still be closed
    if (rc != SQLITE_OK) {
      throw storage_error(failure::other,
                          "sqlite: cannot open " + path + ": " +
                              (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    run_script("PRAGMA foreign_keys = ON");
    if (!in_memory) {
      switch_to_wal();
      run_script("PRAGMA synchronous = NORMAL");
    }
  }

  // Switching a new file to WAL needs a moment of exclusive access, and SQLite answers "locked"
  // at once, without its busy handler, when another connection opens the same new file at that
  // moment (two pool workers at start-up). The mode is stored in the file, so retrying until one
  // of them has switched it is enough.
  void switch_to_wal() {
    constexpr int attempts = 100;
    for (int attempt = 1;; ++attempt) {
      try {
        run_script("PRAGMA journal_mode = WAL");
        return;
      } catch (const storage_error&) {
        if (attempt == attempts) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
      }
    }
  }

  [[nodiscard]] dialect kind() const noexcept override { return dialect::sqlite; }

  result execute(std::string_view sql, const std::vector<value>& params) override {
    check_transaction_usable();
    try {
      return run(sql, params);
    } catch (const storage_error&) {
      transaction_failed_ = in_transaction_;
      throw;
    }
  }

  void execute_script(std::string_view sql) override {
    check_transaction_usable();
    try {
      run_script(std::string(sql));
    } catch (const storage_error&) {
      transaction_failed_ = in_transaction_;
      throw;
    }
  }

  void begin() override {
    if (in_transaction_) {
      throw storage_error(failure::other, "sqlite: a transaction is already open");
    }
    run_script("BEGIN IMMEDIATE");
    in_transaction_ = true;
    transaction_failed_ = false;
  }

  void commit() override {
    if (!in_transaction_) throw storage_error(failure::other, "sqlite: commit without begin");
    if (transaction_failed_) {
      rollback();
      throw storage_error(failure::other,
                          "sqlite: the transaction was rolled back because a statement failed");
    }
    try {
      run_script("COMMIT");
    } catch (const storage_error&) {
      rollback();
      throw;
    }
    in_transaction_ = false;
  }

  void rollback() noexcept override {
    in_transaction_ = false;
    transaction_failed_ = false;
    if (sqlite3_get_autocommit(db_.get()) == 0) {
      sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  bool ping() noexcept override {
    return sqlite3_exec(db_.get(), "SELECT 1", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  static void create_parent_directory(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) return;
    if (auto error = config::create_private_directories(parent)) {
      throw storage_error(failure::other, "sqlite: cannot create directory " + parent.string() +
                                              ": " + error.message());
    }
  }

  void check_transaction_usable() const {
    if (transaction_failed_) {
      throw storage_error(failure::other,
                          "sqlite: a statement of this transaction failed; roll it back first");
    }
  }

  [[noreturn]] void fail(std::string_view sql) const {
    const int code = sqlite3_extended_errcode(db_.get());
    const bool unique = code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
    throw storage_error(
        unique ? failure::unique_violation : failure::other,
        std::string("sqlite: ") + sqlite3_errmsg(db_.get()) + " [" + excerpt(sql) + "]");
  }

  void run_script(const std::string& sql) {
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }

  sqlite3_stmt* prepared(std::string_view sql) {
    if (auto* cached = statements_.find(sql)) return cached->get();
    const std::string rewritten = sqlite_placeholders(sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_.get(), rewritten.c_str(), static_cast<int>(rewritten.size() + 1),
                           SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    statement_ptr statement{raw};
    if (rc != SQLITE_OK) fail(sql);
    if (raw == nullptr) throw storage_error(failure::other, "sqlite: empty statement");
    if (!only_separators(tail)) {
      throw storage_error(failure::other,
                          "sqlite: execute() runs one statement, use "
                          "execute_script() for several [" +
                              excerpt(sql) + "]");
    }
    return statements_.insert(sql, std::move(statement)).get();
  }

  result run(std::string_view sql, const std::vector<value>& params) {
    sqlite3_stmt* stmt = prepared(sql);
    const statement_use use{stmt};
    const auto expected = static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt));
    if (params.size() != expected) {
      throw storage_error(failure::other, "sqlite: the statement takes " +
                                              std::to_string(expected) + " parameters, " +
                                              std::to_string(params.size()) + " given [" +
                                              excerpt(sql) + "]");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (bind(stmt, static_cast<int>(i + 1), params[i]) != SQLITE_OK) fail(sql);
    }
    result out;
    const int columns = sqlite3_column_count(stmt);
    for (int c = 0; c < columns; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
    const auto changes_before = sqlite3_total_changes64(db_.get());
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(sql);
      auto& row = out.rows.emplace_back();
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) row.push_back(column_value(stmt, c));
    }
    // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, so a SELECT or DDL would
    // report a stale number; only trust it if this statement changed something.
    if (sqlite3_total_changes64(db_.get()) != changes_before) {
      out.affected_rows = sqlite3_changes64(db_.get());
    }
    return out;
  }

  database_ptr db_;  // declared first so that it is closed after every statement is finalized
  statement_cache<statement_ptr> statements_{statement_cache_capacity};
  bool in_transaction_ = false;
  bool transaction_failed_ = false;
};

}  // namespace

std::unique_ptr<connection> open_sqlite_connection(const std::string& path) {
  return std::make_unique<sqlite_connection>(path);
}

}  // namespace schedulerd::storage
