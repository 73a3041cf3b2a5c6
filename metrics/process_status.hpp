#pragma once

#include <optional>
#include <string_view>

namespace schedulerd::metrics {

/// The resident set size in bytes from the text of `/proc/<pid>/status` (its `VmRSS:` line, in
/// kB), or nullopt when the line is missing or malformed.
std::optional<double> resident_bytes(std::string_view proc_status);

}  // namespace schedulerd::metrics
