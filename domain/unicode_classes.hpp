#pragma once

// The few Unicode character classes the account rules need, from the Unicode Character Database
// (PropList.txt, UnicodeData.txt), without a locale and without ICU.

namespace schedulerd::domain {

/// Whether `c` has the Unicode White_Space property (ASCII white space, U+0085, U+00A0, the
/// spaces of U+2000..U+200A, U+3000 and the others of PropList.txt).
bool is_white_space(char32_t c) noexcept;

/// Whether `c` is a control character (general category Cc: U+0000..U+001F, U+007F..U+009F) or
/// the line or paragraph separator U+2028, U+2029, which break a line as LF does.
bool is_control(char32_t c) noexcept;

/// Whether `c` has the Bidi_Control property (U+061C, U+200E, U+200F, U+202A..U+202E,
/// U+2066..U+2069): it reorders the text around it, so one string can display as another.
bool is_bidi_control(char32_t c) noexcept;

/// Whether `c` is a zero-width or otherwise invisible character that carries no letter of its own
/// (U+200B..U+200D, U+2060..U+2064, U+FEFF, the soft hyphen, the Hangul fillers, tag characters).
bool is_invisible(char32_t c) noexcept;

}  // namespace schedulerd::domain
