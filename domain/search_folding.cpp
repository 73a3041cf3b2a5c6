#include "domain/search_folding.hpp"

#include <algorithm>
#include <iterator>

#include "domain/phone_numbers.hpp"
#include "domain/utf8.hpp"

namespace schedulerd::domain {
namespace {

constexpr char32_t latin_first = 0xC0;  // À, the first letter of Latin-1 Supplement
constexpr char32_t latin_end = 0x180;   // just past Latin Extended-A

// The base letter of each code point from U+00C0 to U+017F, in order; '*' marks the few that fold
// to two letters (two_letters) and × and ÷, which are no letters and are kept.
constexpr std::string_view latin_bases =
    "aaaaaa*ceeeeiiiidnooooo*ouuuuy**"                                          // U+00C0..U+00DF
    "aaaaaa*ceeeeiiiidnooooo*ouuuuy*y"                                          // U+00E0..U+00FF
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk"                 // U+0100..U+0138
    "llllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";  // U+0139..U+017F
static_assert(latin_bases.size() == latin_end - latin_first);

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

std::string_view two_letters(char32_t c) {
  switch (c) {
    case U'\u00C6':  // Æ
    case U'\u00E6':
      return "ae";
    case U'\u00DE':  // Þ
    case U'\u00FE':
      return "th";
    case U'\u00DF':  // ß
    case U'\u1E9E':  // ẞ
      return "ss";
    case U'\u0132':  // Ĳ
    case U'\u0133':
      return "ij";
    case U'\u0152':  // Œ
    case U'\u0153':
      return "oe";
    default:
      return {};
  }
}

// The single letter `c` folds to, or 0 when it folds to none (or to two).
char base_letter(char32_t c) {
  if (c >= latin_first && c < latin_end) {
    const char base = latin_bases[c - latin_first];
    return base == '*' ? '\0' : base;
  }
  switch (c) {
    case U'\u0218':  // Ș, Romanian, with a comma below
    case U'\u0219':
      return 's';
    case U'\u021A':  // Ț
    case U'\u021B':
      return 't';
    default:
      return '\0';
  }
}

bool is_combining_mark(char32_t c) {
  return c >= 0x300 && c <= 0x36F;  // Combining Diacritical Marks, as in decomposed "e\u0301"
}

}  // namespace

std::string fold_for_search(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t at = 0; at < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[at]);
    if (byte < 0x80U) {
      out.push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a')
                                               : static_cast<char>(byte));
      ++at;
      continue;
    }
    const auto step = read_code_point(utf8, at);
    if (!step.well_formed) {
      out.append(replacement_character);
    } else if (const char base = base_letter(step.code_point); base != '\0') {
      out.push_back(base);
    } else if (const auto pair = two_letters(step.code_point); !pair.empty()) {
      out.append(pair);
    } else if (!is_combining_mark(step.code_point)) {
      out.append(utf8.substr(at, step.length));
    }
    at += step.length;
  }
  return out;
}

std::string digits_of(std::string_view text) {
  std::string digits;
  std::copy_if(text.begin(), text.end(), std::back_inserter(digits),
               [](char c) { return c >= '0' && c <= '9'; });
  return digits;
}

bool is_phone_query(std::string_view query) {
  const auto is_punctuation = [](char c) {
    return c == '+' || c == ' ' || c == '-' || c == '(' || c == ')';
  };
  bool has_digit = false;
  for (const char c : query) {
    if (c >= '0' && c <= '9') {
      has_digit = true;
    } else if (!is_punctuation(c)) {
      return false;
    }
  }
  return has_digit;
}

std::string contact_search_text(std::string_view name, std::string_view email,
                                std::string_view phone) {
  std::string text = fold_for_search(name);
  text.push_back('\n');
  text.append(fold_for_search(email));
  text.push_back('\n');
  text.append(fold_for_search(phone));
  text.push_back('\n');
  const auto digits = digits_of(phone);
  text.append(digits);
  if (auto other = other_brazilian_mobile_form(digits)) {
    text.push_back('\n');
    text.append(*other);
  }
  return text;
}

}  // namespace schedulerd::domain
