#pragma once

#include <string>
#include <string_view>

#include "domain/provider_records.hpp"

namespace schedulerd::storage {

/// `fields` as the JSON object of strings a `field_values` column stores.
std::string field_values_to_json(const domain::field_values& fields);

/// The fields of a stored JSON object of strings; throws storage_error when `json` is not one.
domain::field_values field_values_from_json(std::string_view json);

}  // namespace schedulerd::storage
