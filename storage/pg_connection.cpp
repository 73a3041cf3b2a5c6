#include "storage/pg_connection.hpp"

#include <pqxx/pqxx>

#include "storage/pg_values.hpp"
#include "storage/statement_cache.hpp"

namespace schedulerd::storage {
namespace {

// Each cached name is a server-side prepared statement; dynamically built SQL (filters, IN lists)
// must not pile them up without bound.
constexpr std::size_t statement_cache_capacity = 256;

std::string excerpt(std::string_view sql) {
  constexpr std::size_t limit = 160;
  return sql.size() <= limit ? std::string(sql) : std::string(sql.substr(0, limit)) + "...";
}

std::string with_connect_timeout(const std::string& url) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=5";
}

// A statement prepared on the server under `name`.
struct prepared_statement {
  std::string name;
  bool writes_rows = false;
};

class pg_connection final : public connection {
 public:
  explicit pg_connection(const std::string& url) {
    try {
      conn_ = std::make_unique<pqxx::connection>(with_connect_timeout(url));
      // Otherwise every "relation already exists, skipping" notice lands on stderr.
      run_simple("SET client_min_messages TO warning");
    } catch (const pqxx::broken_connection& error) {
      throw storage_error(failure::connection_lost,
                          std::string("postgres: cannot connect: ") + error.what());
    } catch (const std::exception& error) {
      throw storage_error(failure::other, std::string("postgres: cannot connect: ") + error.what());
    }
  }

  [[nodiscard]] dialect kind() const noexcept override { return dialect::postgres; }

  result execute(std::string_view sql, const std::vector<value>& params) override {
    check_open();
    try {
      const auto& statement = prepared(sql);
      const pg_text_parameters text(params);
      pqxx::nontransaction tx{*conn_};
      auto rows =
          tx.exec_prepared(statement.name, pqxx::prepare::make_dynamic_params(text.pointers()));
      tx.commit();
      return pg_result(rows, statement.writes_rows);
    } catch (...) {
      rethrow_classified(sql);
    }
  }

  void execute_script(std::string_view sql) override {
    check_open();
    try {
      run_simple(std::string(sql));
    } catch (...) {
      rethrow_classified(sql);
    }
  }

  void begin() override {
    check_open();
    if (in_transaction_) {
      throw storage_error(failure::other, "postgres: a transaction is already open");
    }
    execute_script("BEGIN");
    in_transaction_ = true;
    transaction_failed_ = false;
  }

  void commit() override {
    check_open();
    if (!in_transaction_) throw storage_error(failure::other, "postgres: commit without begin");
    // The server would answer COMMIT of a failed transaction with a successful ROLLBACK.
    if (transaction_failed_) {
      rollback();
      throw storage_error(failure::other,
                          "postgres: the transaction was rolled back because a statement failed");
    }
    in_transaction_ = false;  // over once COMMIT is sent, whether it succeeds or not
    execute_script("COMMIT");
  }

  void rollback() noexcept override {
    const bool open = in_transaction_ && !lost_;
    in_transaction_ = false;
    transaction_failed_ = false;
    if (!open) return;
    try {
      run_simple("ROLLBACK");
    } catch (...) {
      try {
        rethrow_classified("ROLLBACK");
      } catch (...) {
        // rollback() promises not to throw; a lost connection is remembered in lost_.
      }
    }
  }

  bool ping() noexcept override {
    if (lost_) return false;
    try {
      run_simple("SELECT 1");
      return true;
    } catch (...) {
      try {
        rethrow_classified("SELECT 1");
      } catch (...) {
      }
      // An error answer (say, inside a failed transaction) still proves the server is there.
      return !lost_;
    }
  }

 private:
  void check_open() const {
    if (lost_) {
      throw storage_error(failure::connection_lost,
                          "postgres: the connection was lost earlier; open a new one");
    }
  }

  pqxx::result run_simple(const std::string& sql) {
    pqxx::nontransaction tx{*conn_};
    auto rows = tx.exec(sql);
    tx.commit();
    return rows;
  }

  const prepared_statement& prepared(std::string_view sql) {
    if (const auto* cached = statements_.find(sql)) return *cached;
    if (auto evicted = statements_.make_room()) {
      try {
        conn_->unprepare(evicted->name);
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const std::exception&) {
        // Inside a failed transaction DEALLOCATE fails too; the orphan lives until disconnect.
      }
    }
    // A fresh name per attempt: pqxx keeps a definition whose preparation failed registered.
    std::string name = "sd" + std::to_string(++statements_prepared_);
    conn_->prepare(name, std::string(sql));
    conn_->prepare_now(name);
    return statements_.insert(sql, {std::move(name), pg_writes_rows(sql)});
  }

  // Maps the exception in flight to a storage_error; a lost connection is remembered for good,
  // because pqxx would otherwise silently reconnect and drop session state such as an open BEGIN.
  [[noreturn]] void rethrow_classified(std::string_view sql) {
    transaction_failed_ = in_transaction_;
    const auto lost = [&](const std::string& what) {
      lost_ = true;
      in_transaction_ = false;
      return storage_error(failure::connection_lost, "postgres: connection lost: " + what);
    };
    try {
      // cppcheck-suppress rethrowNoCurrentException ; only ever called from inside a catch block
      throw;
    } catch (const storage_error&) {
      throw;
    } catch (const pqxx::broken_connection& error) {
      throw lost(error.what());
    } catch (const pqxx::sql_error& error) {
      const std::string& state = error.sqlstate();
      // Class 08 is connection exceptions; 57P01..57P05 are the server ending the session.
      if (state.starts_with("08") || state.starts_with("57P") || !conn_->is_open()) {
        throw lost(error.what());
      }
      throw storage_error(state == "23505" ? failure::unique_violation : failure::other,
                          std::string("postgres: ") + error.what() + " [" + excerpt(sql) + "]");
    } catch (const std::exception& error) {
      if (!conn_->is_open()) throw lost(error.what());
      throw storage_error(failure::other,
                          std::string("postgres: ") + error.what() + " [" + excerpt(sql) + "]");
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  statement_cache<prepared_statement> statements_{statement_cache_capacity};
  std::uint64_t statements_prepared_ = 0;
  bool lost_ = false;
  bool in_transaction_ = false;
  bool transaction_failed_ = false;
};

}  // namespace

std::unique_ptr<connection> open_pg_connection(const std::string& url) {
  return std::make_unique<pg_connection>(url);
}

}  // namespace schedulerd::storage
