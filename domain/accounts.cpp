#include "domain/accounts.hpp"

#include "domain/ascii_text.hpp"
#include "domain/utf8.hpp"

#include <algorithm>
#include <cstddef>

namespace schedulerd::domain {
namespace {

constexpr std::size_t max_name_chars = 255;
constexpr std::size_t max_email_bytes = 254;
constexpr std::size_t max_local_part_bytes = 64;  // RFC 5321, section 4.5.3.1.1
constexpr std::size_t min_password_chars = 8;
// argon2 would accept more, but hashing megabytes per login attempt is a cheap denial of service.
constexpr std::size_t max_password_bytes = 1024;

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

void check_name(field_errors& errors, const std::string& field, std::string_view raw) {
  const auto name = trim(raw);
  if (name.empty()) {
    errors[field].emplace_back("is required");
  } else if (code_points(name) > max_name_chars) {
    errors[field].emplace_back("must be at most 255 characters");
  } else if (std::any_of(name.begin(), name.end(), is_control)) {
    errors[field].emplace_back("must not contain control characters");
  }
}

// Deliberately loose: the only proof that an address works is mail arriving there, so this only
// rejects what cannot be an address at all.
bool is_plausible_domain(std::string_view domain) {
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
  if (domain.find("..") != std::string_view::npos) return false;
  const auto last_dot = domain.rfind('.');
  return last_dot != std::string_view::npos && domain.size() - last_dot - 1 >= 2;
}

std::optional<std::string> email_problem(std::string_view raw) {
  const auto email = trim(raw);
  if (email.empty()) return "is required";
  if (email.size() > max_email_bytes) return "must be at most 254 characters";
  if (std::any_of(email.begin(), email.end(),
                  [](char c) { return is_ascii_space(c) || is_control(c); })) {
    return "must not contain spaces or control characters";
  }
  const auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return "must be a valid email address";
  }
  const auto local = email.substr(0, at);
  if (local.empty() || local.size() > max_local_part_bytes ||
      !is_plausible_domain(email.substr(at + 1))) {
    return "must be a valid email address";
  }
  return std::nullopt;
}

}  // namespace

std::string normalize_email(std::string_view email) {
  // ASCII only: lower-casing other scripts depends on locale, and the address's owner typed it.
  return trim_lower(email);
}

field_errors validate_registration(std::string_view name, std::string_view email,
                                   std::string_view password) {
  field_errors errors;
  check_name(errors, "name", name);
  if (auto problem = email_problem(email)) errors["email"].push_back(std::move(*problem));
  if (password.empty()) {
    errors["password"].emplace_back("is required");
  } else if (code_points(password) < min_password_chars) {
    errors["password"].emplace_back("must be at least 8 characters");
  } else if (password.size() > max_password_bytes) {
    errors["password"].emplace_back("must be at most 1024 bytes");
  }
  return errors;
}

field_errors validate_token_request(std::string_view name,
                                    std::optional<std::int64_t> expires_at_ms,
                                    std::int64_t now_ms) {
  field_errors errors;
  check_name(errors, "name", name);
  if (expires_at_ms) {
    if (*expires_at_ms <= now_ms) {
      errors["expires_at"].emplace_back("must be in the future");
    } else if (*expires_at_ms - now_ms > max_token_lifetime_ms) {
      errors["expires_at"].emplace_back("must be at most 10 years in the future");
    }
  }
  return errors;
}

}  // namespace schedulerd::domain
