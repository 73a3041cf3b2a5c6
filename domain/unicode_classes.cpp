#include "domain/unicode_classes.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace schedulerd::domain {

namespace {

using range = std::pair<char32_t, char32_t>;  // first and last, both included

template <std::size_t N>
bool in_any(const std::array<range, N>& ranges, char32_t c) noexcept {
  return std::any_of(ranges.begin(), ranges.end(),
                     [c](const range& r) { return c >= r.first && c <= r.second; });
}

// PropList.txt, White_Space.
constexpr std::array<range, 10> white_space{{{0x0009, 0x000D},
                                             {0x0020, 0x0020},
                                             {0x0085, 0x0085},
                                             {0x00A0, 0x00A0},
                                             {0x1680, 0x1680},
                                             {0x2000, 0x200A},
                                             {0x2028, 0x2029},
                                             {0x202F, 0x202F},
                                             {0x205F, 0x205F},
                                             {0x3000, 0x3000}}};

// PropList.txt, Bidi_Control.
constexpr std::array<range, 4> bidi_controls{
    {{0x061C, 0x061C}, {0x200E, 0x200F}, {0x202A, 0x202E}, {0x2066, 0x2069}}};

// Format characters (Cf) and fillers that render as nothing. Variation selectors are not here:
// emoji need them, and they change a glyph rather than hide one. Neither are the Mongolian free
// variation selectors, which Mongolian script needs.
constexpr std::array<range, 14> invisible{{{0x00AD, 0x00AD},    // soft hyphen
                                           {0x034F, 0x034F},    // combining grapheme joiner
                                           {0x115F, 0x1160},    // Hangul choseong/jungseong fillers
                                           {0x17B4, 0x17B5},    // Khmer inherent vowels
                                           {0x180E, 0x180E},    // Mongolian vowel separator
                                           {0x200B, 0x200D},    // zero-width space, (non-)joiner
                                           {0x2060, 0x2064},    // word joiner, invisible operators
                                           {0x3164, 0x3164},    // Hangul filler
                                           {0xFEFF, 0xFEFF},    // zero-width no-break space (BOM)
                                           {0xFFA0, 0xFFA0},    // halfwidth Hangul filler
                                           {0xFFF9, 0xFFFB},    // interlinear annotation
                                           {0x1BCA0, 0x1BCA3},  // shorthand format controls
                                           {0x1D173, 0x1D17A},  // musical symbol format
                                           {0xE0000, 0xE007F}}};  // tags

}  // namespace

bool is_white_space(char32_t c) noexcept {
  return in_any(white_space, c);
}

bool is_control(char32_t c) noexcept {
  return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

bool is_bidi_control(char32_t c) noexcept {
  return in_any(bidi_controls, c);
}

bool is_invisible(char32_t c) noexcept {
  return in_any(invisible, c);
}

}  // namespace schedulerd::domain
