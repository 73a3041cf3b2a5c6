// libFuzzer harness: domain::parse_rfc3339 on arbitrary text, and the parse/format round trip.
#include "domain/rfc3339.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the years a four-digit field can write.
constexpr std::int64_t first_ms = -62'167'219'200'000;
constexpr std::int64_t last_ms = 253'402'300'799'999;

void check(bool holds) {
  if (!holds) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using schedulerd::domain::format_rfc3339;
  using schedulerd::domain::parse_rfc3339;

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto parsed = parse_rfc3339(text)) {
    // Whatever parses names one instant, which the canonical form names again.
    check(parse_rfc3339(format_rfc3339(*parsed)) == parsed);
  }

  // The first eight bytes, when present, are an instant: parse(format(x)) == x over the years
  // that RFC 3339 can write.
  if (size >= sizeof(std::int64_t)) {
    std::int64_t raw = 0;
    std::memcpy(&raw, data, sizeof raw);
    const auto span = static_cast<std::uint64_t>(last_ms - first_ms) + 1;
    const auto instant =
        first_ms + static_cast<std::int64_t>(static_cast<std::uint64_t>(raw) % span);
    const auto formatted = format_rfc3339(instant);
    check(formatted.size() == 24 && formatted.back() == 'Z');
    check(parse_rfc3339(formatted) == instant);
  }
  return 0;
}
