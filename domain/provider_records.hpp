#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

// The records of messaging-provider connections and their contacts, as the service layer and
// storage exchange them. Provider credentials never appear here in clear: only sealed.

namespace schedulerd::domain {

/// Field name to value, for a connection's credentials (in clear, only in memory) or settings.
using field_values = std::map<std::string, std::string>;

/// The connection works (`active`).
inline constexpr const char* provider_active = "active";
/// The user disabled the connection (`inactive`).
inline constexpr const char* provider_inactive = "inactive";
/// The provider rejected the credentials, or the last check failed (`error`).
inline constexpr const char* provider_error = "error";

/// The last or running contact import of a connection.
struct sync_state {
  /// `running`, `succeeded` or `failed`; empty when no import ever ran.
  std::string status;
  /// When the import started, milliseconds since the epoch.
  std::optional<std::int64_t> started_at;
  /// When it ended.
  std::optional<std::int64_t> finished_at;
  /// Contacts imported so far by this import.
  std::int64_t imported = 0;
  /// Why it failed; empty otherwise.
  std::string error;
};

/// A user's connection to a messaging provider (a row of `providers`).
struct provider_record {
  /// The primary key.
  std::int64_t id = 0;
  /// The owner.
  std::int64_t user_id = 0;
  /// The registered provider type (`huggy`).
  std::string type;
  /// The user's name for the connection.
  std::string name;
  /// `active`, `inactive` or `error`.
  std::string status = provider_active;
  /// Whether the user enabled it (false means `inactive`).
  bool enabled = true;
  /// The credentials as one JSON object, sealed with the credential cipher ("provider:<id>").
  std::string credentials_ciphertext;
  /// Field to masked value (`••••last4`), the only form of the credentials any answer shows.
  field_values credentials_hint;
  /// The non-secret settings (`company_id`, `send_mode`, ...).
  field_values settings;
  /// What the last check or call that failed said; empty when none.
  std::string last_error;
  /// When the connection was last checked.
  std::optional<std::int64_t> last_checked_at;
  /// Contacts stored for the connection.
  std::int64_t contacts_count = 0;
  /// When an import last succeeded.
  std::optional<std::int64_t> contacts_synced_at;
  /// The last or running import.
  sync_state sync;
  /// Creation time.
  std::int64_t created_at = 0;
  /// Last change.
  std::int64_t updated_at = 0;
  /// When an admin paused the connection's dispatch (its messages wait); none while it runs.
  std::optional<std::int64_t> dispatch_paused_at;
};

/// A contact as a provider describes it, before it is stored.
struct contact_fields {
  /// The provider's id of the contact.
  std::string external_id;
  /// The display name.
  std::string name;
  /// Empty when unknown.
  std::string email;
  /// Empty when unknown.
  std::string phone;
};

/// A stored contact of a connection (a row of `contacts`).
struct contact_record {
  /// The primary key (the id a schedule names).
  std::int64_t id = 0;
  /// The connection it came from.
  std::int64_t provider_id = 0;
  /// The provider's id of the contact.
  std::string external_id;
  /// The display name.
  std::string name;
  /// Unknown when absent.
  std::optional<std::string> email;
  /// Unknown when absent.
  std::optional<std::string> phone;
  /// When it was last imported or found.
  std::int64_t synced_at = 0;
};

/// What `POST /api/providers` asks for, decoded but not yet validated.
struct provider_draft {
  /// The provider type (`huggy`).
  std::string type;
  /// The user's name for the connection.
  std::string name;
  /// The credentials in clear (only in memory, on their way to being sealed).
  field_values credentials;
  /// The settings.
  field_values settings;
};

/// What `PUT /api/providers/{id}` changes; absent members stay as they are.
struct provider_patch {
  /// A new name.
  std::optional<std::string> name;
  /// New credentials, which replace the old ones whole and are checked again.
  std::optional<field_values> credentials;
  /// New settings, which replace the old ones whole.
  std::optional<field_values> settings;
  /// Enables or disables the connection.
  std::optional<bool> enabled;
};

/// The outcome of a connection test (`POST /api/providers/{id}/test-connection`).
struct connection_test {
  /// The connection's status after the test.
  std::string status;
  /// When the test ran.
  std::int64_t checked_at = 0;
  /// How long the provider took to answer.
  std::int64_t latency_ms = 0;
  /// Why the test failed; empty when it passed.
  std::string error;
};

/// A contacts list request: a validated page plus what to search for and where.
struct contact_query {
  /// Matched against name, email and phone (locally) or handed to the provider (remotely).
  std::string q;
  /// Ask the provider instead of the stored contacts.
  bool remote = false;
  /// The 1-based page.
  std::int64_t page = 1;
  /// Rows per page.
  std::int64_t per_page = 25;
};

}  // namespace schedulerd::domain
