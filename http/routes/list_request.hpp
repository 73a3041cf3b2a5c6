#pragma once

#include "actors/errc.hpp"
#include "domain/list_query.hpp"
#include "http/json/list_json.hpp"
#include "http/message.hpp"
#include "http/reply.hpp"
#include "http/status.hpp"

#include <utility>
#include <variant>

namespace schedulerd::http {

/// The list query of `req` checked against `rules`, or the 422 answer naming each bad parameter.
inline std::variant<domain::list_query, response> parse_list_request(
    const request& req, const domain::list_query_rules& rules) {
  auto parsed = domain::parse_list_query(req.query, rules);
  if (auto* problems = std::get_if<field_errors>(&parsed)) {
    return error_response(make_validation_error(std::move(*problems)));
  }
  return std::get<domain::list_query>(std::move(parsed));
}

/// Encodes a service's page of `T` as the list envelope of `query`, each row by `encode_row`.
template <class T, class EncodeRow>
auto page_encoder(const domain::list_query& query, EncodeRow encode_row) {
  return [query, encode_row](const domain::page<T>& page) {
    return json_text_response(200, list_json(page, query, encode_row));
  };
}

}  // namespace schedulerd::http
