#include "metrics/process_status.hpp"

#include <charconv>
#include <cstdint>

namespace schedulerd::metrics {

std::optional<double> resident_bytes(std::string_view proc_status) {
  constexpr std::string_view key = "VmRSS:";
  auto at = proc_status.find(key);
  // Only at the start of a line: another field's text never counts.
  while (at != std::string_view::npos && at != 0 && proc_status[at - 1] != '\n') {
    at = proc_status.find(key, at + 1);
  }
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  auto rest = proc_status.substr(at + key.size());
  rest = rest.substr(0, rest.find('\n'));
  const auto digits = rest.find_first_not_of(" \t");
  if (digits == std::string_view::npos) {
    return std::nullopt;
  }
  rest.remove_prefix(digits);
  std::uint64_t kilobytes = 0;
  auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), kilobytes);
  if (error != std::errc{} || std::string_view(end, rest.data() + rest.size()) != " kB") {
    return std::nullopt;
  }
  return static_cast<double>(kilobytes) * 1024.0;
}

}  // namespace schedulerd::metrics
