#pragma once

#include "domain/field_errors.hpp"
#include "domain/url_decoding.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace schedulerd::domain {

/// The largest page size a list request may ask for.
inline constexpr std::int64_t max_per_page = 100;

/// The page size used when the request names none.
inline constexpr std::int64_t default_per_page = 25;

/// The largest page number accepted, so that the row offset always fits in 64 bits.
inline constexpr std::int64_t max_page = 2'147'483'647;

/// A sort key: a field name and its direction.
struct sort_order {
  /// The field to sort by (one the caller allows).
  std::string field;
  /// Whether the order is descending (`sort=-field`).
  bool descending = false;
};

/// What a resource allows its list requests to sort by.
struct list_query_rules {
  /// The field names accepted by `sort`.
  std::vector<std::string> sortable_fields;
  /// The order used when the request has no `sort`.
  sort_order default_sort;
};

/// A validated list request: pagination, order and the remaining parameters as filters.
struct list_query {
  /// The 1-based page number.
  std::int64_t page = 1;
  /// Rows per page (1..max_per_page).
  std::int64_t per_page = default_per_page;
  /// The requested order.
  sort_order sort;
  /// Every other parameter, decoded, in request order (the resource decides what they mean).
  std::vector<std::pair<std::string, std::string>> filters;

  /// How many rows precede the page.
  [[nodiscard]] std::int64_t offset() const noexcept { return (page - 1) * per_page; }

  /// The first filter named `name`, if any.
  [[nodiscard]] std::optional<std::string> filter(std::string_view name) const;
};

/// One page of a list and the number of rows in the whole list.
template <class T>
struct page {
  /// The rows of the page, in the list's order.
  std::vector<T> items;
  /// The rows of the whole list.
  std::int64_t total = 0;
};

/// Parses the raw (still percent-encoded, without `?`) query string of a list request against
/// `rules`; the errors name each bad parameter (`page`, `per_page`, `sort`, or a filter's name).
std::variant<list_query, field_errors> parse_list_query(std::string_view raw_query,
                                                        const list_query_rules& rules);

}  // namespace schedulerd::domain
