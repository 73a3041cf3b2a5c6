#pragma once

#include "domain/message_records.hpp"
#include "storage/connection.hpp"
#include "storage/contact_store.hpp"
#include "storage/provider_store.hpp"
#include "tests/storage/provider_rows.hpp"

#include <cstdint>
#include <string>
#include <vector>

// Rows the scheduled-message storage tests start from, and small helpers to read what they left.

namespace schedulerd::testing {

/// A user with one connection and its contacts.
struct message_owner {
  /// The user.
  std::int64_t user = 0;
  /// Their connection (`active`).
  std::int64_t provider = 0;
  /// The connection's contacts' ids, `contact-0`, `contact-1`, ... in order.
  std::vector<std::int64_t> contacts;
};

/// Inserts a user with `email`, a connection of theirs and `contacts` contacts of it (external ids
/// `ext-<n>`, names `Contact <n>`, the even ones with a phone), all at `now_ms`.
inline message_owner new_message_owner(storage::connection& db, const std::string& email,
                                       std::size_t contacts, std::int64_t now_ms) {
  message_owner owner;
  owner.provider = new_provider(db, email, now_ms);
  owner.user = storage::find_provider_by_id(db, owner.provider).value().user_id;
  std::vector<domain::contact_fields> fields;
  fields.reserve(contacts);
  for (std::size_t n = 0; n < contacts; ++n) {
    const auto number = std::to_string(n);
    fields.push_back({"ext-" + number, "Contact " + number, "",
                      n % 2 == 0 ? "+55 11 9000-" + number : std::string()});
  }
  for (const auto& contact : storage::upsert_contacts(db, owner.provider, fields, now_ms)) {
    owner.contacts.push_back(contact.id);
  }
  return owner;
}

/// A draft of a message to `owner`'s contact number `contact`.
inline domain::message_draft draft_for(const message_owner& owner, std::size_t contact,
                                       const std::string& content, std::int64_t send_at) {
  return {owner.provider, owner.contacts.at(contact), content, send_at};
}

/// Sets a column of message `id` with plain SQL, as another node or the dispatcher would.
inline void set_message_column(storage::connection& db, std::int64_t id, const std::string& column,
                               const storage::value& to) {
  // The column name comes from the tests themselves, never from input.
  db.execute("UPDATE scheduled_messages SET " + column + " = $2 WHERE id = $1", {id, to});
}

/// Sets connection `provider`'s status (`active`, `inactive` or `error`).
inline void set_provider_status(storage::connection& db, std::int64_t provider,
                                const std::string& status) {
  db.execute("UPDATE providers SET status = $2 WHERE id = $1", {provider, status});
}

/// A column of message `id` as stored.
inline storage::value message_column(storage::connection& db, std::int64_t id,
                                     const std::string& column) {
  return db.execute("SELECT " + column + " FROM scheduled_messages WHERE id = $1", {id})
      .rows.at(0)
      .at(0);
}

/// The first cell of a one-row answer, as an integer.
inline std::int64_t count_of(storage::connection& db, const std::string& sql,
                             const std::vector<storage::value>& params = {}) {
  return std::get<std::int64_t>(db.execute(sql, params).rows.at(0).at(0));
}

}  // namespace schedulerd::testing
