// libFuzzer harness: domain::parse_list_query on arbitrary query strings.
#include "domain/list_query.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

namespace {

void check(bool holds) {
  if (!holds) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace domain = schedulerd::domain;
  static const domain::list_query_rules rules{{"send_at", "created_at", "status"},
                                              {"send_at", true}};

  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto result = domain::parse_list_query(raw, rules);
  if (const auto* query = std::get_if<domain::list_query>(&result)) {
    check(query->page >= 1 && query->page <= domain::max_page);
    check(query->per_page >= 1 && query->per_page <= domain::max_per_page);
    check(query->offset() >= 0);
    const auto& allowed = rules.sortable_fields;
    check(std::find(allowed.begin(), allowed.end(), query->sort.field) != allowed.end());
    for (const auto& [name, value] : query->filters) {
      check(!name.empty() && name != "page" && name != "per_page" && name != "sort");
    }
  } else {
    const auto& errors = std::get<schedulerd::field_errors>(result);
    check(!errors.empty());
    for (const auto& [field, messages] : errors) check(!messages.empty());
  }
  // Decoding never grows the text.
  if (const auto decoded = domain::decode_query_component(raw)) check(decoded->size() <= size);
  return 0;
}
