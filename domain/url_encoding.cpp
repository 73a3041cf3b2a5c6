#include "domain/url_encoding.hpp"

#include <cctype>

namespace schedulerd::domain {

std::string url_encode(std::string_view text) {
  static constexpr std::string_view digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4U]);
      out.push_back(digits[c & 0x0FU]);
    }
  }
  return out;
}

}  // namespace schedulerd::domain
