#pragma once

#include <map>
#include <string>
#include <vector>

namespace schedulerd {

/// Validation messages keyed by the offending field, as the API's `details` object shows them.
using field_errors = std::map<std::string, std::vector<std::string>>;

}  // namespace schedulerd
