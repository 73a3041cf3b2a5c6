#pragma once

#include <string>
#include <string_view>

// Substring searches run LIKE with a pattern built here, the same on both backends.

namespace schedulerd::storage {

/// A LIKE pattern matching text that contains `needle` literally, for `LIKE $n ESCAPE '!'`.
std::string contains_pattern(std::string_view needle);

}  // namespace schedulerd::storage
