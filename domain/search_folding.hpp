#pragma once

#include <string>
#include <string_view>

// Case- and accent-insensitive matching without a locale, ICU or database collations: the stored
// text and the query are folded by the same function, so both backends compare the same bytes.

namespace schedulerd::domain {

/// `utf8` lower-cased, with the accents of Latin letters removed (`José` → `jose`, `ß` → `ss`,
/// `Œ` → `oe`, combining marks dropped); other code points are kept and ill-formed bytes become
/// U+FFFD, so the result is always valid UTF-8.
std::string fold_for_search(std::string_view utf8);

/// The ASCII digits of `text`, in order (`+55 (11) 98765-4321` → `5511987654321`).
std::string digits_of(std::string_view text);

/// Whether `query` looks like part of a phone number: at least one digit, and otherwise only
/// `+`, spaces, `-`, `(` and `)`.
bool is_phone_query(std::string_view query);

/// What a contact search matches against: the folded name, email and phone, then the phone's
/// digits (and, for a Brazilian mobile, its other form: with or without the ninth digit),
/// separated by line feeds so that no query spans two of them by accident.
std::string contact_search_text(std::string_view name, std::string_view email,
                                std::string_view phone);

/// The version of contact_search_text's rules, stored beside each contact's text: 2 added the
/// other form of a Brazilian mobile. A contact stored by older rules is folded again in the
/// background (storage::refold_contacts), so a search finds it without waiting for an import.
inline constexpr int contact_search_version = 2;

}  // namespace schedulerd::domain
