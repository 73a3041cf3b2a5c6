#include "domain/common_passwords.hpp"

#include "domain/ascii_text.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace schedulerd::domain {

namespace {

// The list lower-cased and sorted for binary search; built on first use and then only read, which
// C++ makes safe from any thread.
const std::vector<std::string>& sorted_entries() {
  static const std::vector<std::string> entries = [] {
    std::vector<std::string> out;
    auto text = common_passwords_text();
    while (!text.empty()) {
      const auto end = text.find('\n');
      auto line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && line.front() != '#') out.push_back(ascii_lower(line));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }();
  return entries;
}

}  // namespace

bool is_common_password(std::string_view password) {
  const auto& entries = sorted_entries();
  return std::binary_search(entries.begin(), entries.end(), ascii_lower(password));
}

std::size_t common_password_count() {
  return sorted_entries().size();
}

}  // namespace schedulerd::domain
