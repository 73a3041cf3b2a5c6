#include "storage/placeholder_rows.hpp"

#include <array>
#include <charconv>
#include <variant>

namespace schedulerd::storage {

std::vector<std::size_t> row_batches(std::size_t count) {
  std::vector<std::size_t> batches;
  for (std::size_t size = max_rows_per_statement; count > 0; size /= 2) {
    while (count >= size) {
      batches.push_back(size);
      count -= size;
    }
  }
  return batches;
}

std::string placeholder_rows(std::size_t rows, std::size_t columns, std::size_t first) {
  std::string text;
  text.reserve(rows * columns * 6);
  auto next = first;
  for (std::size_t row = 0; row < rows; ++row) {
    text += row == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < columns; ++column) {
      if (column > 0) text += ", ";
      // Appended in two steps: `"$" + std::to_string(...)` trips GCC 12's -Wrestrict at -O2
      // (GCC bug 105651).
      text += '$';
      text += std::to_string(next++);
    }
    text += ")";
  }
  return text;
}

std::string bigint_array(const std::vector<std::int64_t>& numbers) {
  std::string text;
  text.reserve(2 + numbers.size() * 8);
  text += '{';
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(numbers[i]);
  }
  text += '}';
  return text;
}

std::string array_literal(const std::vector<value>& cells) {
  std::string text{"{"};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) text += ',';
    const auto& cell = cells[i];
    if (std::holds_alternative<std::monostate>(cell)) {
      text += "NULL";
    } else if (const auto* number = std::get_if<std::int64_t>(&cell)) {
      text += std::to_string(*number);
    } else if (const auto* real = std::get_if<double>(&cell)) {
      std::array<char, 32> digits{};
      auto* const end = std::to_chars(digits.data(), digits.data() + digits.size(), *real).ptr;
      text.append(digits.data(), end);
    } else {
      // Inside double quotes only `"` and `\` need a backslash: commas, braces, spaces and the
      // word NULL stay text.
      text += '"';
      for (const char c : std::get<std::string>(cell)) {
        if (c == '"' || c == '\\') text += '\\';
        text += c;
      }
      text += '"';
    }
  }
  text += '}';
  return text;
}

}  // namespace schedulerd::storage
