#include "storage/placeholder_rows.hpp"

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

}  // namespace schedulerd::storage
