#include "storage/sqlite_placeholders.hpp"

#include <cctype>

namespace schedulerd::storage {
namespace {

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The end (one past) of the token that starts at `begin` if it is quoted text or a comment, where
// a `$1` must stay as written; `begin` itself otherwise. Follows SQLite's tokenizer: '...' strings,
// "..." / `...` / [...] identifiers (a doubled quote simply closes and reopens), -- and /*
// comments.
std::size_t skip_verbatim(std::string_view sql, std::size_t begin) {
  const char c = sql[begin];
  const auto until = [&](std::string_view closing, std::size_t from) {
    const auto at = sql.find(closing, from);
    return at == std::string_view::npos ? sql.size() : at + closing.size();
  };
  switch (c) {
    case '\'':
    case '"':
    case '`':
      return until(std::string_view(&c, 1), begin + 1);
    case '[':
      return until("]", begin + 1);
    case '-':
      return sql.substr(begin, 2) == "--" ? until("\n", begin + 2) : begin;
    case '/':
      return sql.substr(begin, 2) == "/*" ? until("*/", begin + 2) : begin;
    default:
      return begin;
  }
}

}  // namespace

std::string sqlite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    if (const auto end = skip_verbatim(sql, i); end != i) {
      out.append(sql.substr(i, end - i));
      i = end;
      continue;
    }
    const char c = sql[i];
    // `x$1` is an identifier in PostgreSQL, so only a `$` that starts a token is a parameter.
    const bool parameter = c == '$' && i + 1 < sql.size() &&
                           std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0 &&
                           (i == 0 || !is_identifier_char(sql[i - 1]));
    out.push_back(parameter ? '?' : c);
    ++i;
  }
  return out;
}

}  // namespace schedulerd::storage
