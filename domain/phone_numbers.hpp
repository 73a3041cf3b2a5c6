#pragma once

#include <optional>
#include <string>
#include <string_view>

// Brazil added a ninth digit, a leading 9, to every mobile number between 2012 and 2016; chat
// platforms still hold numbers saved before in the old eight-digit form, so a number has to be
// looked up in both forms.

namespace schedulerd::domain {

/// The other form of a Brazilian mobile number given as bare digits with the country code:
/// `5562987654321` ↔ `556287654321`; nullopt for anything else (landlines start with 2 to 5).
std::optional<std::string> other_brazilian_mobile_form(std::string_view digits);

}  // namespace schedulerd::domain
