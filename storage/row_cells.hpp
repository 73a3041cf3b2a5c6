#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/connection.hpp"

// Every store reads its rows through these, so one rule holds everywhere: a NULL cell is accepted
// only where the caller asks for an optional, and a cell of another type throws
// storage_error(other), since it means the schema and the code disagree (a bug, not bad input).

namespace schedulerd::storage {

/// The integer in `column`; throws storage_error when it is NULL or not an integer.
std::int64_t integer_at(const std::vector<value>& row, std::size_t column);

/// The integer in `column`, nullopt when NULL; throws storage_error when it is another type.
std::optional<std::int64_t> optional_integer_at(const std::vector<value>& row, std::size_t column);

/// The text in `column`; throws storage_error when it is NULL or not text.
std::string text_at(const std::vector<value>& row, std::size_t column);

/// The text in `column`, nullopt when NULL; throws storage_error when it is another type.
std::optional<std::string> optional_text_at(const std::vector<value>& row, std::size_t column);

/// The parameter for an optional integer: the number, or NULL.
value nullable(std::optional<std::int64_t> number);

/// The parameter for a text that is stored as NULL when empty.
value null_if_empty(const std::string& text);

}  // namespace schedulerd::storage
