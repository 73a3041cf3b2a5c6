#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace schedulerd::config {

/// Reads a whole file; returns nothing when it cannot be opened or read.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace schedulerd::config
