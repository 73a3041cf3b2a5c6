#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace schedulerd::storage {

/// A SQL parameter or column value; `std::monostate` is NULL, booleans travel as 0/1.
using value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// The SQL dialect a connection speaks.
enum class dialect { sqlite, postgres };

/// The rows a statement produced, with the number of rows it changed.
struct result {
  std::vector<std::string> columns;
  std::vector<std::vector<value>> rows;
  std::int64_t affected_rows = 0;
};

/// What went wrong in the database, so that callers can tell a lost connection from a bad row.
enum class failure { connection_lost, unique_violation, other };

/// Thrown by connections; the pooled database actor turns it into an errc at its edge.
class storage_error : public std::runtime_error {
 public:
  /// Builds an error of `kind` with a diagnostic for the logs (never shown to clients).
  storage_error(failure kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}

  /// The category of the failure.
  [[nodiscard]] failure kind() const noexcept { return kind_; }

 private:
  failure kind_;
};

/// One open database session; not thread-safe, owned by exactly one pool worker.
class connection {
 public:
  virtual ~connection() = default;

  /// The dialect, for the few statements that differ between backends.
  [[nodiscard]] virtual dialect kind() const noexcept = 0;

  /// Runs one statement whose parameters are written `$1`, `$2`, ... in both dialects.
  virtual result execute(std::string_view sql, const std::vector<value>& params) = 0;

  /// Runs a parameterless multi-statement script (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  /// Starts a transaction.
  virtual void begin() = 0;

  /// Commits the open transaction.
  virtual void commit() = 0;

  /// Rolls the open transaction back; never throws.
  virtual void rollback() noexcept = 0;

  /// Runs a trivial round trip and reports whether the server answered.
  virtual bool ping() noexcept = 0;

  /// Runs one parameterless statement.
  result execute(std::string_view sql) { return execute(sql, {}); }
};

/// Opens a connection for a `sqlite://path`, `sqlite::memory:` or `postgresql://` URL; throws
/// storage_error.
std::unique_ptr<connection> open_connection(const std::string& database_url);

}  // namespace schedulerd::storage
