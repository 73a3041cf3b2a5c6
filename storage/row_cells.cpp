#include "storage/row_cells.hpp"

namespace schedulerd::storage {

namespace {

[[noreturn]] void mismatch(std::size_t column, const char* expected) {
  throw storage_error(failure::other,
                      "column " + std::to_string(column) + " is " + std::string(expected));
}

}  // namespace

std::optional<std::int64_t> optional_integer_at(const std::vector<value>& row, std::size_t column) {
  const auto& cell = row.at(column);
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* number = std::get_if<std::int64_t>(&cell)) return *number;
  mismatch(column, "not an integer");
}

std::int64_t integer_at(const std::vector<value>& row, std::size_t column) {
  if (auto number = optional_integer_at(row, column)) return *number;
  mismatch(column, "NULL");
}

std::optional<std::string> optional_text_at(const std::vector<value>& row, std::size_t column) {
  const auto& cell = row.at(column);
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  mismatch(column, "not text");
}

std::string text_at(const std::vector<value>& row, std::size_t column) {
  if (auto text = optional_text_at(row, column)) return std::move(*text);
  mismatch(column, "NULL");
}

value nullable(std::optional<std::int64_t> number) {
  return number ? value{*number} : value{};
}

value null_if_empty(const std::string& text) {
  return text.empty() ? value{} : value{text};
}

}  // namespace schedulerd::storage
