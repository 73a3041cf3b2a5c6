#pragma once

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "storage/connection.hpp"

namespace Catch {

/// Prints a storage::value in failed assertions as NULL, a number, or a quoted string.
template <>
struct StringMaker<schedulerd::storage::value> {
  static std::string convert(const schedulerd::storage::value& v) {
    std::ostringstream out;
    if (std::holds_alternative<std::monostate>(v)) out << "NULL";
    if (const auto* i = std::get_if<std::int64_t>(&v)) out << *i << " (int64)";
    if (const auto* d = std::get_if<double>(&v)) out << *d << " (double)";
    if (const auto* s = std::get_if<std::string>(&v)) out << '"' << *s << "\" (string)";
    return out.str();
  }
};

}  // namespace Catch
