#include "storage/pg_values.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <pqxx/field>
#include <pqxx/row>

namespace schedulerd::storage {
namespace {

// Type OIDs from pg_type.h, which libpqxx does not expose.
constexpr pqxx::oid bool_oid = 16;
constexpr pqxx::oid int8_oid = 20;
constexpr pqxx::oid int2_oid = 21;
constexpr pqxx::oid int4_oid = 23;
constexpr pqxx::oid oid_oid = 26;
constexpr pqxx::oid float4_oid = 700;
constexpr pqxx::oid float8_oid = 701;
constexpr pqxx::oid numeric_oid = 1700;

template <class Number>
value parse_number(std::string_view text) {
  Number number{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size()) return std::string(text);
  return number;
}

value field_value(const pqxx::field& field, pqxx::oid type) {
  if (field.is_null()) return std::monostate{};
  const std::string_view text(field.c_str(), field.size());
  switch (type) {
    case bool_oid:
      return std::int64_t{text == "t" ? 1 : 0};
    case int8_oid:
    case int2_oid:
    case int4_oid:
    case oid_oid:
      return parse_number<std::int64_t>(text);
    case float4_oid:
    case float8_oid:
    case numeric_oid:
      return parse_number<double>(text);
    default:
      return std::string(text);
  }
}

// The words of `sql` (runs of letters, digits and underscores), upper-cased.
std::vector<std::string> words(std::string_view sql) {
  std::vector<std::string> found;
  std::string word;
  for (const char c : sql) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
      word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      found.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) found.push_back(std::move(word));
  return found;
}

std::string number_text(const value& number) {
  std::array<char, 32> buffer{};
  const auto* integer = std::get_if<std::int64_t>(&number);
  // For a double, to_chars writes the shortest text that reads back as the same value.
  const auto formatted =
      integer != nullptr
          ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), *integer)
          : std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::get<double>(number));
  return {buffer.data(), formatted.ptr};
}

}  // namespace

bool pg_writes_rows(std::string_view sql) {
  const auto all = words(sql);
  const auto is_write = [&](std::size_t i) {
    const auto& word = all[i];
    if (word == "INSERT" || word == "DELETE" || word == "MERGE") return true;
    return word == "UPDATE" && (i == 0 || (all[i - 1] != "FOR" && all[i - 1] != "KEY"));
  };
  if (all.empty()) return false;
  if (all.front() != "WITH") return is_write(0);
  for (std::size_t i = 1; i < all.size(); ++i) {
    if (is_write(i)) return true;
  }
  return false;
}

result pg_result(const pqxx::result& rows, bool writes_rows) {
  result out;
  const auto columns = rows.columns();
  std::vector<pqxx::oid> types;
  for (pqxx::row::size_type c = 0; c < columns; ++c) {
    out.columns.emplace_back(rows.column_name(c));
    types.push_back(rows.column_type(c));
  }
  out.rows.reserve(rows.size());
  for (const auto& row : rows) {
    auto& converted = out.rows.emplace_back();
    converted.reserve(columns);
    for (pqxx::row::size_type c = 0; c < columns; ++c) {
      converted.push_back(field_value(row[c], types[c]));
    }
  }
  // libpq also counts the rows a SELECT returned (and pqxx 6 hides the command tag), while
  // callers and SQLite mean rows changed: row-returning statements count only if they write.
  if (columns == 0 || writes_rows) {
    out.affected_rows = static_cast<std::int64_t>(rows.affected_rows());
  }
  return out;
}

pg_text_parameters::pg_text_parameters(const std::vector<value>& params) {
  numbers_.reserve(params.size());  // pointers into numbers_ must stay valid
  pointers_.reserve(params.size());
  for (const auto& param : params) {
    if (const auto* text = std::get_if<std::string>(&param)) {
      pointers_.push_back(text->c_str());
    } else if (std::holds_alternative<std::monostate>(param)) {
      pointers_.push_back(nullptr);
    } else {
      pointers_.push_back(numbers_.emplace_back(number_text(param)).c_str());
    }
  }
}

}  // namespace schedulerd::storage
