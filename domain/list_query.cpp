#include "domain/list_query.hpp"

#include <algorithm>
#include <set>

namespace schedulerd::domain {

namespace {

// Only plain decimal digits count: "+3", " 3", "3.0" or "0x3" in a URL are client mistakes, and
// strtoll would quietly accept some of them.
std::optional<std::int64_t> parse_bounded(std::string_view text, std::int64_t low,
                                          std::int64_t high) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    // Stop before overflow: anything past `high` is rejected anyway.
    if (value > high) return std::nullopt;
  }
  if (value < low) return std::nullopt;
  return value;
}

std::string sort_choices(const list_query_rules& rules) {
  std::string text;
  for (const auto& field : rules.sortable_fields) {
    if (!text.empty()) text += ", ";
    text += field;
  }
  return text;
}

void read_number(const std::string& name, std::string_view value, std::int64_t high,
                 std::int64_t& target, field_errors& errors) {
  if (const auto number = parse_bounded(value, 1, high)) {
    target = *number;
  } else {
    errors[name].push_back("must be a whole number from 1 to " + std::to_string(high) + ".");
  }
}

void read_sort(const std::string& value, const list_query_rules& rules, sort_order& target,
               field_errors& errors) {
  const bool descending = !value.empty() && value.front() == '-';
  auto field = descending ? value.substr(1) : value;
  const auto& allowed = rules.sortable_fields;
  if (std::find(allowed.begin(), allowed.end(), field) != allowed.end()) {
    target = sort_order{std::move(field), descending};
  } else {
    errors["sort"].push_back("must be one of " + sort_choices(rules) +
                             ", optionally prefixed with - for descending order.");
  }
}

struct raw_parameter {
  std::string name;
  std::string value;
};

// Splits and decodes the pairs; a pair that does not decode is reported under its (raw) name.
std::vector<raw_parameter> split_query(std::string_view raw_query, field_errors& errors) {
  std::vector<raw_parameter> parameters;
  while (!raw_query.empty()) {
    const auto amp = raw_query.find('&');
    const auto pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const auto raw_name = pair.substr(0, eq);
    const auto raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto name = decode_query_component(raw_name);
    auto value = decode_query_component(raw_value);
    if (!name || !value) {
      errors[name ? *name : std::string(raw_name)].emplace_back("is not valid percent-encoding.");
      continue;
    }
    if (name->empty()) continue;
    parameters.push_back({std::move(*name), std::move(*value)});
  }
  return parameters;
}

}  // namespace

std::optional<std::string> list_query::filter(std::string_view name) const {
  const auto found = std::find_if(filters.begin(), filters.end(),
                                  [&](const auto& entry) { return entry.first == name; });
  if (found == filters.end()) return std::nullopt;
  return found->second;
}

std::variant<list_query, field_errors> parse_list_query(std::string_view raw_query,
                                                        const list_query_rules& rules) {
  field_errors errors;
  list_query query;
  query.sort = rules.default_sort;
  std::set<std::string> seen;
  for (auto& [name, value] : split_query(raw_query, errors)) {
    if (name != "page" && name != "per_page" && name != "sort") {
      query.filters.emplace_back(std::move(name), std::move(value));
    } else if (!seen.insert(name).second) {
      errors[name].emplace_back("must be given at most once.");
    } else if (name == "page") {
      read_number(name, value, max_page, query.page, errors);
    } else if (name == "per_page") {
      read_number(name, value, max_per_page, query.per_page, errors);
    } else {
      read_sort(value, rules, query.sort, errors);
    }
  }
  if (!errors.empty()) return errors;
  return query;
}

}  // namespace schedulerd::domain
