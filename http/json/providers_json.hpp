#pragma once

#include "domain/provider_records.hpp"
#include "domain/provider_types.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

/// A provider connection as the API shows it: credentials only as masks, never the ciphertext.
nlohmann::json provider_json(const domain::provider_record& provider);

/// A contact import's state (`{status, started_at, finished_at, imported, error}`).
nlohmann::json sync_json(const domain::sync_state& sync);

/// A stored contact.
nlohmann::json contact_json(const domain::contact_record& contact);

/// A connection test's outcome.
nlohmann::json connection_test_json(const domain::connection_test& test);

/// A provider type with its credential and settings fields.
nlohmann::json provider_type_json(const domain::provider_type_info& type);

}  // namespace schedulerd::http
