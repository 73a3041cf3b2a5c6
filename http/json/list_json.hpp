#pragma once

#include "domain/list_query.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace schedulerd::http {

/// The contract's list envelope: `{"data": [...], "meta": {page, per_page, total, last_page}}`,
/// each row encoded by `encode_row`.
template <class T, class Encode>
nlohmann::json list_json(const domain::page<T>& rows, const domain::list_query& query,
                         Encode encode_row) {
  auto data = nlohmann::json::array();
  for (const auto& row : rows.items) {
    data.push_back(encode_row(row));
  }
  // An empty list still has one (empty) page.
  std::int64_t last_page = rows.total == 0 ? 1 : (rows.total + query.per_page - 1) / query.per_page;
  return {{"data", std::move(data)},
          {"meta",
           {{"page", query.page},
            {"per_page", query.per_page},
            {"total", rows.total},
            {"last_page", last_page}}}};
}

}  // namespace schedulerd::http
