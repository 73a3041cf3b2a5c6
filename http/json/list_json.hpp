#pragma once

#include "domain/list_query.hpp"
#include "http/json/json_writer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <type_traits>

namespace schedulerd::http {

/// The contract's list envelope as JSON text: `{"data": [...], "meta": {page, per_page, total,
/// last_page}}`. `encode_row` either writes a row into a json_writer (`void(json_writer&, const
/// T&)`) or answers it as a document (`nlohmann::json(const T&)`).
template <class T, class Encode>
std::string list_json(const domain::page<T>& rows, const domain::list_query& query,
                      Encode encode_row) {
  json_writer out;
  out.begin_object().key("data").begin_array();
  for (const auto& row : rows.items) {
    if constexpr (std::is_invocable_v<Encode&, json_writer&, const T&>) {
      encode_row(out, row);
    } else {
      out.document(encode_row(row));
    }
  }
  out.end_array();
  // An empty list still has one (empty) page.
  std::int64_t last_page = rows.total == 0 ? 1 : (rows.total + query.per_page - 1) / query.per_page;
  out.key("meta").begin_object();
  out.key("page").number(query.page);
  out.key("per_page").number(query.per_page);
  out.key("total").number(rows.total);
  out.key("last_page").number(last_page);
  out.end_object().end_object();
  return out.take();
}

}  // namespace schedulerd::http
