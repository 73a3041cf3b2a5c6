#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/account_records.hpp"
#include "storage/connection.hpp"

// Every function runs in whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// A user row is the domain's user record.
using domain::user_record;

/// Inserts a user (email already normalised); throws storage_error(unique_violation) when the email
/// is taken.
user_record insert_user(connection& db, const std::string& name, const std::string& email,
                        const std::string& password_hash, std::int64_t now_ms);

/// The user with this email, which must already be normalised the way insert_user stored it.
std::optional<user_record> find_user_by_email(connection& db, const std::string& email);

/// The user with this id.
std::optional<user_record> find_user_by_id(connection& db, std::int64_t id);

}  // namespace schedulerd::storage
