#include "domain/phone_numbers.hpp"

#include <algorithm>

namespace schedulerd::domain {

namespace {

constexpr std::string_view brazil = "55";
// Country code and area code (two digits, neither 0), then the subscriber number.
constexpr std::size_t subscriber_at = 4;
constexpr std::size_t old_mobile_length = 12;
constexpr std::size_t mobile_length = 13;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_brazilian_area(std::string_view digits) {
  return digits.substr(0, brazil.size()) == brazil && digits[2] >= '1' && digits[2] <= '9' &&
         digits[3] >= '1' && digits[3] <= '9';
}

}  // namespace

std::optional<std::string> other_brazilian_mobile_form(std::string_view digits) {
  if (digits.size() < old_mobile_length || !std::all_of(digits.begin(), digits.end(), is_digit) ||
      !is_brazilian_area(digits)) {
    return std::nullopt;
  }
  const char first = digits[subscriber_at];
  if (digits.size() == mobile_length && first == '9') {
    std::string old_form{digits};
    old_form.erase(subscriber_at, 1);
    return old_form;
  }
  // Eight-digit mobile numbers started with 6 to 9; landlines start with 2 to 5.
  if (digits.size() == old_mobile_length && first >= '6' && first <= '9') {
    std::string new_form{digits};
    new_form.insert(subscriber_at, 1, '9');
    return new_form;
  }
  return std::nullopt;
}

}  // namespace schedulerd::domain
