#pragma once

#include "domain/list_query.hpp"
#include "domain/provider_records.hpp"
#include "storage/connection.hpp"

#include <cstdint>
#include <string>
#include <vector>

// Every function runs in whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// Inserts or updates each contact of the connection by its external id (name, email, phone and
/// synced_at change; the local id stays) and returns them as stored, in the order given.
std::vector<domain::contact_record> upsert_contacts(
    connection& db, std::int64_t provider_id, const std::vector<domain::contact_fields>& contacts,
    std::int64_t now_ms);

/// A page of the connection's contacts whose name, email or phone contains `query` ignoring case
/// and accents (`jose` finds `José`; digits also match the phone's digits whatever its
/// punctuation); an empty query matches all. Ordered by name, then id.
domain::page<domain::contact_record> search_contacts(connection& db, std::int64_t provider_id,
                                                     const std::string& query, std::int64_t limit,
                                                     std::int64_t offset);

/// How many contacts the connection has.
std::int64_t count_contacts(connection& db, std::int64_t provider_id);

/// Folds again, by the current rules (domain::contact_search_version), up to `limit` contacts
/// whose search text older rules wrote; answers how many it folded (fewer than `limit` when none
/// is left).
std::int64_t refold_contacts(connection& db, std::int64_t limit);

}  // namespace schedulerd::storage
