#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::domain {

/// Decodes one application/x-www-form-urlencoded component (`%XX` and `+` as a space); nullopt
/// when a `%` is not followed by two hex digits.
std::optional<std::string> decode_query_component(std::string_view text);

/// Decodes one URL path segment (`%XX`; a `+` stays a `+`); nullopt when a `%` is not followed by
/// two hex digits.
std::optional<std::string> decode_path_segment(std::string_view text);

}  // namespace schedulerd::domain
