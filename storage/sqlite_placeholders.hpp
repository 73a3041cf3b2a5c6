#pragma once

#include <string>
#include <string_view>

namespace schedulerd::storage {

/// Rewrites PostgreSQL-style `$N` parameters to SQLite's `?N`, leaving quoted text and comments
/// alone.
std::string sqlite_placeholders(std::string_view sql);

}  // namespace schedulerd::storage
