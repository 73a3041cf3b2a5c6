#pragma once

#include <span>
#include <string_view>

namespace schedulerd::storage {

/// One versioned schema change compiled into the binary from storage/migrations/<dialect>/.
struct embedded_migration {
  std::string_view dialect;
  int version;
  std::string_view name;
  std::string_view sql;
};

/// Every migration of both dialects, ordered by dialect then version.
std::span<const embedded_migration> embedded_migrations();

}  // namespace schedulerd::storage
