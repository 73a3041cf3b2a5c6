#pragma once

#include "domain/provider_records.hpp"
#include "storage/connection.hpp"
#include "storage/provider_store.hpp"
#include "storage/user_store.hpp"

#include <cstdint>
#include <string>

// Rows the provider and contact storage tests start from.

namespace schedulerd::testing {

/// Inserts a user with `email` and a Huggy connection of theirs created at `now_ms`; answers the
/// connection's id.
inline std::int64_t new_provider(storage::connection& db, const std::string& email,
                                 std::int64_t now_ms) {
  domain::provider_record record;
  record.user_id = storage::insert_user(db, "User", email, "", now_ms).id;
  record.type = "huggy";
  record.name = "Support";
  record.credentials_ciphertext = "sealed";
  record.created_at = now_ms;
  record.updated_at = now_ms;
  return storage::insert_provider(db, record).id;
}

}  // namespace schedulerd::testing
