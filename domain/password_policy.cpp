#include "domain/password_policy.hpp"

#include "domain/ascii_text.hpp"
#include "domain/common_passwords.hpp"
#include "domain/unicode_classes.hpp"
#include "domain/utf8.hpp"

namespace schedulerd::domain {

namespace {

bool only_white_space(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const auto step = read_code_point(text, at);
    if (!step.well_formed || !is_white_space(step.code_point)) return false;
    at += step.length;
  }
  return true;
}

// Compares code points, not bytes, so "ééééééééé" counts as one character repeated.
bool one_character_repeated(std::string_view text) {
  const auto first = read_code_point(text, 0);
  for (std::size_t at = first.length; at < text.size();) {
    const auto step = read_code_point(text, at);
    if (text.substr(at, step.length) != text.substr(0, first.length)) return false;
    at += step.length;
  }
  return true;
}

}  // namespace

std::optional<std::string> password_problem(std::string_view password, std::string_view email,
                                            std::string_view name) {
  if (password.empty()) return "is required";
  if (code_points(password) < min_password_chars) return "must be at least 8 characters";
  if (password.size() > max_password_bytes) return "must be at most 1024 bytes";
  if (only_white_space(password)) return "must not be only white space";
  // Case and the spaces around it add nothing an attacker's list does not already try.
  const auto folded = trim_lower(password);
  if (code_points(folded) < min_password_chars) {
    return "must be at least 8 characters without the spaces around it";
  }
  if (one_character_repeated(folded)) return "must not be one character repeated";
  if (is_common_password(folded)) return "is too common";
  const auto address = ascii_lower(email);
  const auto local_part = std::string_view{address}.substr(0, address.find('@'));
  if (folded == address || folded == local_part) return "must not match your email address";
  if (folded == ascii_lower(name)) return "must not match your name";
  return std::nullopt;
}

}  // namespace schedulerd::domain
