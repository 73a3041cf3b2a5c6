#include "domain/accounts.hpp"

#include "domain/ascii_text.hpp"
#include "domain/password_policy.hpp"
#include "domain/unicode_classes.hpp"
#include "domain/utf8.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>

namespace schedulerd::domain {
namespace {

constexpr std::size_t max_name_chars = 255;
constexpr std::size_t max_email_bytes = 254;
constexpr std::size_t max_local_part_bytes = 64;  // RFC 5321, section 4.5.3.1.1

bool is_ascii_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// The first class of unwanted code point in `name`, in the order the messages are tried.
std::optional<std::string> character_problem(std::string_view name) {
  bool control = false;
  bool bidi = false;
  bool hidden = false;
  for (std::size_t at = 0; at < name.size();) {
    const auto step = read_code_point(name, at);
    if (!step.well_formed) return "must be valid UTF-8";
    control = control || is_control(step.code_point);
    bidi = bidi || is_bidi_control(step.code_point);
    hidden = hidden || is_invisible(step.code_point);
    at += step.length;
  }
  if (control) return "must not contain control characters";
  if (bidi) return "must not contain bidirectional control characters";
  if (hidden) return "must not contain invisible characters";
  return std::nullopt;
}

// Judges the name that would be stored, so nothing the checks refuse can hide in what trimming
// removes, and nothing trimming removes is refused.
void check_name(field_errors& errors, const std::string& field, std::string_view raw) {
  if (auto problem = name_problem(raw)) {
    errors[field].push_back(std::move(*problem));
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
                  [](char c) { return is_ascii_space(c) || is_ascii_control(c); })) {
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

std::string normalize_name(std::string_view name) {
  // Unicode white space, not only ASCII: a name of no-break spaces would otherwise look blank.
  std::size_t begin = name.size();
  std::size_t end = 0;
  for (std::size_t at = 0; at < name.size();) {
    const auto step = read_code_point(name, at);
    if (!step.well_formed || !is_white_space(step.code_point)) {
      begin = std::min(begin, at);
      end = at + step.length;
    }
    at += step.length;
  }
  return begin < end ? std::string(name.substr(begin, end - begin)) : std::string();
}

std::optional<std::string> name_problem(std::string_view name) {
  const auto stored = normalize_name(name);
  if (stored.empty()) {
    return "is required";
  }
  if (code_points(stored) > max_name_chars) {
    return "must be at most 255 characters";
  }
  return character_problem(stored);
}

field_errors validate_registration(std::string_view name, std::string_view email,
                                   std::string_view password) {
  field_errors errors;
  check_name(errors, "name", name);
  if (auto problem = email_problem(email)) errors["email"].push_back(std::move(*problem));
  if (auto problem = password_problem(password, normalize_email(email), normalize_name(name))) {
    errors["password"].push_back(std::move(*problem));
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
