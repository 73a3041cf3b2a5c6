#include <catch2/catch.hpp>
#include <functional>

#include "tests/storage/value_printing.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;
using storage::value;

namespace {

constexpr std::int64_t schema_now = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::int64_t first_int(const storage::result& answer) {
  return std::get<std::int64_t>(answer.rows.at(0).at(0));
}

std::int64_t insert_user(storage::connection& db, const std::string& email) {
  return first_int(
      db.execute("INSERT INTO users (name, email, password_hash, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $4) RETURNING id",
                 {std::string("Ada"), email, std::string("$argon2id$v=19$..."), schema_now}));
}

std::int64_t insert_token(storage::connection& db, std::int64_t user, const std::string& hash) {
  return first_int(
      db.execute("INSERT INTO api_tokens (user_id, name, token_hash, kind, created_at) "
                 "VALUES ($1, 'login', $2, 'session', $3) RETURNING id",
                 {user, hash, schema_now}));
}

// A user with one provider and one contact, the minimum a scheduled message needs.
struct owner {
  std::int64_t user;
  std::int64_t provider;
  std::int64_t contact;
};

owner insert_owner(storage::connection& db) {
  owner o{};
  o.user = insert_user(db, "owner@example.com");
  o.provider = first_int(db.execute(
      "INSERT INTO providers (user_id, type, name, status, enabled, credentials_ciphertext, "
      "credentials_hint, created_at, updated_at) "
      "VALUES ($1, 'huggy', 'Support', 'active', 1, 'c1ph3r', '{}', $2, $2) RETURNING id",
      {o.user, schema_now}));
  o.contact = first_int(db.execute(
      "INSERT INTO contacts (provider_id, external_id, name, phone, synced_at, created_at, "
      "updated_at) VALUES ($1, '42', 'Grace', '+5511999999999', $2, $2, $2) RETURNING id",
      {o.provider, schema_now}));
  return o;
}

std::int64_t insert_message(storage::connection& db, const owner& o, const std::string& status) {
  return first_int(db.execute(
      "INSERT INTO scheduled_messages (user_id, provider_id, contact_id, content, send_at, status, "
      "next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, 'hi', $4, $5, $4, $6, $6) "
      "RETURNING id",
      {o.user, o.provider, o.contact, schema_now + 60'000, status, schema_now}));
}

storage::failure failure_of(const std::function<void()>& statement) {
  try {
    statement();
  } catch (const storage::storage_error& error) {
    return error.kind();
  }
  FAIL("the statement was expected to fail");
  return storage::failure::other;
}

}  // namespace

TEST_CASE("deleting a user removes everything that belongs to it", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_owner(*conn);
    insert_token(*conn, o.user, "aa11");
    insert_token(*conn, o.user, "bb22");
    const auto message = insert_message(*conn, o, "pending");
    conn->execute("INSERT INTO message_events (message_id, at, event) VALUES ($1, $2, 'created')",
                  {message, schema_now});
    const auto other = insert_user(*conn, "other@example.com");
    insert_token(*conn, other, "cc33");

    CHECK(conn->execute("DELETE FROM users WHERE id = $1", {o.user}).affected_rows == 1);
    CHECK(first_int(conn->execute("SELECT COUNT(*) FROM api_tokens")) == 1);
    for (const auto* table : {"providers", "contacts", "scheduled_messages", "message_events"}) {
      INFO("table: " << table);
      CHECK(first_int(conn->execute(std::string("SELECT COUNT(*) FROM ") + table)) == 0);
    }
  }
}

TEST_CASE("a message's history leaves with it, and only its own", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_owner(*conn);
    const auto deleted = insert_message(*conn, o, "sent");
    const auto kept = insert_message(*conn, o, "pending");
    for (const auto message : {deleted, deleted, kept}) {
      conn->execute("INSERT INTO message_events (message_id, at, event) VALUES ($1, $2, 'created')",
                    {message, schema_now});
    }

    CHECK(conn->execute("DELETE FROM scheduled_messages WHERE id = $1", {deleted}).affected_rows ==
          1);
    const auto left = conn->execute("SELECT message_id FROM message_events");
    REQUIRE(left.rows.size() == 1);
    CHECK(first_int(left) == kept);

    // With its connection, through the cascade from providers.
    CHECK(conn->execute("DELETE FROM providers WHERE id = $1", {o.provider}).affected_rows == 1);
    CHECK(first_int(conn->execute("SELECT COUNT(*) FROM message_events")) == 0);
  }
}

TEST_CASE("a message with an unknown status is rejected", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_owner(*conn);
    CHECK(failure_of([&] { insert_message(*conn, o, "queued"); }) == storage::failure::other);
    const auto id = insert_message(*conn, o, "pending");
    CHECK(failure_of([&] {
            conn->execute("UPDATE scheduled_messages SET status = 'done' WHERE id = $1", {id});
          }) == storage::failure::other);
    insert_token(*conn, o.user, "dd44");
    CHECK(failure_of([&] { conn->execute("UPDATE api_tokens SET kind = 'forever'"); }) ==
          storage::failure::other);
    CHECK(first_int(conn->execute("SELECT COUNT(*) FROM scheduled_messages WHERE status = "
                                  "'pending'")) == 1);
  }
}

TEST_CASE("rows that point at a missing parent are rejected", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    CHECK(failure_of([&] { insert_token(*conn, 12345, "ee55"); }) == storage::failure::other);
    CHECK(first_int(conn->execute("SELECT COUNT(*) FROM api_tokens")) == 0);
  }
}

TEST_CASE("emails, token hashes and contact ids are unique where the API needs it", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_owner(*conn);
    CHECK(failure_of([&] { insert_user(*conn, "owner@example.com"); }) ==
          storage::failure::unique_violation);
    insert_token(*conn, o.user, "ff66");
    CHECK(failure_of([&] { insert_token(*conn, o.user, "ff66"); }) ==
          storage::failure::unique_violation);
    CHECK(failure_of([&] {
            conn->execute(
                "INSERT INTO contacts (provider_id, external_id, name, synced_at, "
                "created_at, updated_at) VALUES ($1, '42', 'Again', $2, $2, $2)",
                {o.provider, schema_now});
          }) == storage::failure::unique_violation);
    // The upsert the contact sync relies on works on both backends.
    const auto upsert = conn->execute(
        "INSERT INTO contacts (provider_id, external_id, name, synced_at, created_at, updated_at) "
        "VALUES ($1, '42', 'Grace Hopper', $2, $2, $2) ON CONFLICT (provider_id, external_id) "
        "DO UPDATE SET name = excluded.name, synced_at = excluded.synced_at RETURNING id, name",
        {o.provider, schema_now + 1});
    CHECK(upsert.rows.at(0) == std::vector<value>{o.contact, std::string("Grace Hopper")});
  }
}

TEST_CASE("new rows get the documented defaults", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_owner(*conn);
    const auto provider = conn->execute(
        "SELECT contacts_count, sync_imported, settings, sync_status, sync_heartbeat_at "
        "FROM providers WHERE id = $1",
        {o.provider});
    CHECK(provider.rows.at(0) == std::vector<value>{std::int64_t{0}, std::int64_t{0},
                                                    std::string("{}"), std::monostate{},
                                                    std::monostate{}});
    const auto contact =
        conn->execute("SELECT search_text FROM contacts WHERE id = $1", {o.contact});
    CHECK(contact.rows.at(0) == std::vector<value>{std::string()});
    const auto message = insert_message(*conn, o, "pending");
    const auto fresh = conn->execute(
        "SELECT attempts, batch_id, lease_owner, sent_at FROM scheduled_messages WHERE id = $1",
        {message});
    CHECK(fresh.rows.at(0) == std::vector<value>{std::int64_t{0}, std::monostate{},
                                                 std::monostate{}, std::monostate{}});
  }
}
