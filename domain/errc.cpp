#include "domain/errc.hpp"

#include <algorithm>
#include <array>

namespace schedulerd::domain {

namespace {

// The one table of errc facts: logs, CAF's error renderer and the HTTP envelope's `code` read the
// name; clients and retrying callers read the retry columns.
struct errc_entry {
  errc code;
  const char* name;
  bool retryable;
  // Zero when the failure carries its own wait or none applies.
  std::chrono::seconds retry_after;
};

constexpr std::array<errc_entry, 15> errc_table{{
    {errc::bad_request, "bad_request", false, std::chrono::seconds{0}},
    {errc::unauthenticated, "unauthenticated", false, std::chrono::seconds{0}},
    {errc::forbidden, "forbidden", false, std::chrono::seconds{0}},
    {errc::not_found, "not_found", false, std::chrono::seconds{0}},
    {errc::method_not_allowed, "method_not_allowed", false, std::chrono::seconds{0}},
    {errc::conflict, "conflict", false, std::chrono::seconds{0}},
    {errc::payload_too_large, "payload_too_large", false, std::chrono::seconds{0}},
    {errc::unsupported_media_type, "unsupported_media_type", false, std::chrono::seconds{0}},
    {errc::invalid_input, "validation_failed", false, std::chrono::seconds{0}},
    {errc::rate_limited, "rate_limited", true, std::chrono::seconds{0}},
    {errc::internal, "internal", false, std::chrono::seconds{0}},
    {errc::unavailable, "unavailable", true, std::chrono::seconds{1}},
    {errc::upstream_failed, "upstream_failed", true, std::chrono::seconds{5}},
    {errc::uri_too_long, "uri_too_long", false, std::chrono::seconds{0}},
    {errc::headers_too_large, "headers_too_large", false, std::chrono::seconds{0}},
}};

const errc_entry* entry_of(errc code) {
  const auto* found = std::find_if(errc_table.begin(), errc_table.end(),
                                   [code](const errc_entry& entry) { return entry.code == code; });
  return found == errc_table.end() ? nullptr : found;
}

}  // namespace

const char* to_string(errc code) {
  const auto* entry = entry_of(code);
  return entry == nullptr ? "internal" : entry->name;
}

bool retryable(errc code) {
  const auto* entry = entry_of(code);
  return entry != nullptr && entry->retryable;
}

std::optional<std::chrono::seconds> retry_after_hint(errc code) {
  const auto* entry = entry_of(code);
  if (entry == nullptr || !entry->retryable || entry->retry_after.count() == 0) {
    return std::nullopt;
  }
  return entry->retry_after;
}

}  // namespace schedulerd::domain
