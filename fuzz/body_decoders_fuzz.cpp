// libFuzzer harness: JSON request bodies through http::body_reader and the account validators.
#include "domain/accounts.hpp"
#include "http/json/body_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

// A fixed "now" keeps every run reproducible from the input alone.
constexpr std::int64_t now_ms = 1'800'000'000'000;

void check(bool holds) {
  if (!holds) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using schedulerd::http::body_reader;
  namespace domain = schedulerd::domain;

  body_reader registration(text);
  const auto name = registration.required_string("name");
  const auto email = registration.required_string("email");
  const auto password = registration.required_string("password");
  // A field the reader hands back as a string is never also reported as a problem.
  if (name) check(!registration.errors().contains("name"));
  if (name && email && password) {
    const auto errors = domain::validate_registration(*name, *email, *password);
    for (const auto& [field, messages] : errors) check(!messages.empty());
    const auto normalized = domain::normalize_email(*email);
    check(domain::normalize_email(normalized) == normalized);
    // The stored name is judged as stored: normalizing it again changes nothing and moves no error.
    const auto stored_name = domain::normalize_name(*name);
    check(domain::normalize_name(stored_name) == stored_name);
    check(domain::validate_registration(stored_name, *email, *password) == errors);
  }

  body_reader token(text);
  const auto token_name = token.optional_string("name");
  const auto expires_at = token.optional_time("expires_at");
  (void)token.has("expires_at");
  if (token.errors().empty()) {
    const auto errors = domain::validate_token_request(token_name.value_or(""), expires_at, now_ms);
    for (const auto& [field, messages] : errors) check(!messages.empty());
    if (expires_at && !errors.contains("expires_at")) {
      check(*expires_at > now_ms && *expires_at - now_ms <= domain::max_token_lifetime_ms);
    }
  }
  return 0;
}
