#pragma once

#include <cstddef>
#include <string_view>

namespace schedulerd::domain {

/// The text of domain/data/common_passwords.txt as compiled into the binary
/// (cmake/embed_text.cmake).
std::string_view common_passwords_text();

/// Whether `password`, its ASCII letters lower-cased, is on the embedded list of common passwords.
bool is_common_password(std::string_view password);

/// How many passwords the embedded list holds.
std::size_t common_password_count();

}  // namespace schedulerd::domain
