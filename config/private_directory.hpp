#pragma once

#include <filesystem>
#include <system_error>

namespace schedulerd::config {

/// Creates `path` and every missing parent with mode 0700 (the umask can only narrow it), leaving
/// directories that exist as they are; returns what went wrong, or an empty error_code.
std::error_code create_private_directories(const std::filesystem::path& path);

}  // namespace schedulerd::config
