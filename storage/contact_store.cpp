#include "storage/contact_store.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/search_folding.hpp"
#include "storage/like_pattern.hpp"
#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"

namespace schedulerd::storage {
namespace {

constexpr auto contact_fields = "id, provider_id, external_id, name, email, phone, synced_at";

// provider_id, external_id, name, email, phone, search_text, search_version, synced_at,
// created_at, updated_at.
constexpr std::size_t upsert_columns = 10;

constexpr std::int64_t search_version = domain::contact_search_version;

domain::contact_record to_contact(const std::vector<value>& row) {
  return domain::contact_record{
      integer_at(row, 0),       integer_at(row, 1),       text_at(row, 2),   text_at(row, 3),
      optional_text_at(row, 4), optional_text_at(row, 5), integer_at(row, 6)};
}

std::string upsert_sql(std::size_t rows) {
  return "INSERT INTO contacts (provider_id, external_id, name, email, phone, search_text,"
         " search_version, synced_at, created_at, updated_at) VALUES " +
         placeholder_rows(rows, upsert_columns) +
         " ON CONFLICT (provider_id, external_id) DO UPDATE SET name = excluded.name,"
         " email = excluded.email, phone = excluded.phone, search_text = excluded.search_text,"
         " search_version = excluded.search_version, synced_at = excluded.synced_at, updated_at = "
         "excluded.updated_at RETURNING " +
         contact_fields;
}

// One entry per external id, the last occurrence's fields winning: PostgreSQL refuses a
// statement that would update the same row twice.
std::vector<const domain::contact_fields*> last_of_each(
    const std::vector<domain::contact_fields>& contacts) {
  std::vector<const domain::contact_fields*> unique;
  std::unordered_map<std::string_view, std::size_t> position;
  for (const auto& contact : contacts) {
    const auto [at, inserted] = position.try_emplace(contact.external_id, unique.size());
    if (inserted) {
      unique.push_back(&contact);
    } else {
      unique[at->second] = &contact;
    }
  }
  return unique;
}

}  // namespace

std::vector<domain::contact_record> upsert_contacts(
    connection& db, std::int64_t provider_id, const std::vector<domain::contact_fields>& contacts,
    std::int64_t now_ms) {
  const auto unique = last_of_each(contacts);
  std::unordered_map<std::string, domain::contact_record> stored;
  std::size_t next = 0;
  for (const auto rows : row_batches(unique.size())) {
    std::vector<value> params;
    params.reserve(rows * upsert_columns);
    for (const auto end = next + rows; next < end; ++next) {
      const auto& contact = *unique[next];
      params.insert(params.end(),
                    {provider_id, contact.external_id, contact.name, null_if_empty(contact.email),
                     null_if_empty(contact.phone),
                     domain::contact_search_text(contact.name, contact.email, contact.phone),
                     search_version, now_ms, now_ms, now_ms});
    }
    for (const auto& row : db.execute(upsert_sql(rows), params).rows) {
      auto record = to_contact(row);
      auto key = record.external_id;
      stored.insert_or_assign(std::move(key), std::move(record));
    }
  }
  std::vector<domain::contact_record> in_order;
  in_order.reserve(contacts.size());
  for (const auto& contact : contacts) {
    const auto found = stored.find(contact.external_id);
    if (found == stored.end()) {
      throw storage_error(failure::other, "upsert_contacts: a contact was not returned");
    }
    in_order.push_back(found->second);
  }
  return in_order;
}

domain::page<domain::contact_record> search_contacts(connection& db, std::int64_t provider_id,
                                                     const std::string& query, std::int64_t limit,
                                                     std::int64_t offset) {
  std::vector<value> params{provider_id};
  std::string where = " WHERE provider_id = $1";
  if (!query.empty()) {
    // The query is folded like the stored search_text, so both backends compare plain bytes
    // (no LOWER, no collation); a phone-like query also matches the phone's bare digits.
    params.emplace_back(contains_pattern(domain::fold_for_search(query)));
    where += " AND (search_text LIKE $2 ESCAPE '!'";
    if (domain::is_phone_query(query)) {
      params.emplace_back(contains_pattern(domain::digits_of(query)));
      where += " OR search_text LIKE $3 ESCAPE '!'";
    }
    where += ")";
  }
  const auto counted = db.execute("SELECT COUNT(*) FROM contacts" + where, params);
  const auto limit_at = std::to_string(params.size() + 1);
  const auto offset_at = std::to_string(params.size() + 2);
  params.emplace_back(limit);
  params.emplace_back(offset);
  const auto found =
      db.execute(std::string("SELECT ") + contact_fields + " FROM contacts" + where +
                     " ORDER BY name, id LIMIT $" + limit_at + " OFFSET $" + offset_at,
                 params);
  domain::page<domain::contact_record> contacts;
  contacts.items.reserve(found.rows.size());
  for (const auto& row : found.rows) contacts.items.push_back(to_contact(row));
  contacts.total = integer_at(counted.rows.at(0), 0);
  return contacts;
}

std::int64_t count_contacts(connection& db, std::int64_t provider_id) {
  const auto counted =
      db.execute("SELECT COUNT(*) FROM contacts WHERE provider_id = $1", {provider_id});
  return integer_at(counted.rows.at(0), 0);
}

std::int64_t refold_contacts(connection& db, std::int64_t limit) {
  // The version is written into the text so that PostgreSQL can use the partial index of stale
  // contacts (0007_contact_search_version.sql) in a plan it keeps for any values.
  const auto stale_predicate = "search_version < " + std::to_string(search_version);
  const auto stale = db.execute("SELECT id, name, email, phone FROM contacts WHERE " +
                                    stale_predicate + " ORDER BY id LIMIT $1",
                                {limit});
  // A contact an import rewrote meanwhile already has the current text, and keeps it.
  const auto update =
      "UPDATE contacts SET search_text = $1, search_version = $2 WHERE id = $3 AND " +
      stale_predicate;
  for (const auto& row : stale.rows) {
    const auto text =
        domain::contact_search_text(text_at(row, 1), optional_text_at(row, 2).value_or(""),
                                    optional_text_at(row, 3).value_or(""));
    db.execute(update, {text, search_version, integer_at(row, 0)});
  }
  return static_cast<std::int64_t>(stale.rows.size());
}

}  // namespace schedulerd::storage
