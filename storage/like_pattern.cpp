#include "storage/like_pattern.hpp"

namespace schedulerd::storage {

std::string contains_pattern(std::string_view needle) {
  // '!' escapes: unlike a backslash, it means the same in every SQL string syntax and server
  // setting.
  std::string pattern = "%";
  for (const char c : needle) {
    if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

}  // namespace schedulerd::storage
