#include <algorithm>
#include <string_view>

#include "storage/connection.hpp"
#include "storage/pg_connection.hpp"
#include "storage/sqlite_connection.hpp"

namespace schedulerd::storage {

std::unique_ptr<connection> open_connection(const std::string& database_url) {
  const std::string_view url = database_url;
  if (url == "sqlite::memory:") return open_sqlite_connection(":memory:");
  // `sqlite://var/x.db` is relative to the working directory, `sqlite:///srv/x.db` absolute.
  if (constexpr std::string_view prefix = "sqlite://"; url.starts_with(prefix)) {
    if (url.size() == prefix.size()) {
      throw storage_error(failure::other, "DATABASE_URL sqlite:// names no file");
    }
    return open_sqlite_connection(std::string(url.substr(prefix.size())));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return open_pg_connection(database_url);
  }
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const auto scheme_end = url.find(':');
  throw storage_error(failure::other,
                      "DATABASE_URL must start with sqlite://, sqlite::memory:, postgresql:// or "
                      "postgres://, not '" +
                          std::string(url.substr(0, std::min(scheme_end, std::size_t{16}))) +
                          "...'");
}

}  // namespace schedulerd::storage
