#include <catch2/catch.hpp>

#include <string>

#include "storage/provider_store.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;
using storage::value;

using schedulerd::testing::now_ms;

namespace {

std::int64_t returned_int(const storage::result& answer) {
  return std::get<std::int64_t>(answer.rows.at(0).at(0));
}

// A user, a connection and a contact written with plain SQL, as another store would leave them.
struct message_owner {
  std::int64_t user = 0;
  std::int64_t provider = 0;
  std::int64_t contact = 0;
};

message_owner insert_message_owner(storage::connection& db, const std::string& email) {
  message_owner o;
  o.user = returned_int(
      db.execute("INSERT INTO users (name, email, created_at, updated_at) VALUES ('U', $1, $2, $2) "
                 "RETURNING id",
                 {email, now_ms}));
  o.provider = returned_int(
      db.execute("INSERT INTO providers (user_id, type, name, status, credentials_ciphertext, "
                 "credentials_hint, created_at, updated_at) "
                 "VALUES ($1, 'huggy', 'Support', 'active', 'c1ph3r', '{}', $2, $2) RETURNING id",
                 {o.user, now_ms}));
  o.contact = returned_int(db.execute(
      "INSERT INTO contacts (provider_id, external_id, name, synced_at, created_at, updated_at) "
      "VALUES ($1, '42', 'Grace', $2, $2, $2) RETURNING id",
      {o.provider, now_ms}));
  return o;
}

std::int64_t insert_owned_message(storage::connection& db, const message_owner& o,
                                  const std::string& status) {
  return returned_int(db.execute(
      "INSERT INTO scheduled_messages (user_id, provider_id, contact_id, content, send_at, status, "
      "attempts, next_attempt_at, created_at, updated_at) "
      "VALUES ($1, $2, $3, 'hi', $4, $5, 2, $4, $6, $6) RETURNING id",
      {o.user, o.provider, o.contact, now_ms + 60'000, status, now_ms}));
}

value status_of(storage::connection& db, std::int64_t message) {
  return db.execute("SELECT status FROM scheduled_messages WHERE id = $1", {message})
      .rows.at(0)
      .at(0);
}

}  // namespace

TEST_CASE("cancelling a connection's messages cancels only its pending ones, each with an event",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_message_owner(*conn, "owner@example.com");
    const auto other = insert_message_owner(*conn, "other@example.com");
    const auto pending = insert_owned_message(*conn, o, "pending");
    const auto sent = insert_owned_message(*conn, o, "sent");
    const auto processing = insert_owned_message(*conn, o, "processing");
    const auto elsewhere = insert_owned_message(*conn, other, "pending");
    CHECK(storage::count_open_messages(*conn, o.provider) == 2);

    CHECK(storage::cancel_pending_messages(*conn, o.provider, now_ms + 5) == 1);
    CHECK(status_of(*conn, pending) == value{std::string("cancelled")});
    CHECK(status_of(*conn, sent) == value{std::string("sent")});
    CHECK(status_of(*conn, processing) == value{std::string("processing")});
    CHECK(status_of(*conn, elsewhere) == value{std::string("pending")});
    const auto events =
        conn->execute("SELECT message_id, at, event, attempt FROM message_events ORDER BY id");
    REQUIRE(events.rows.size() == 1);
    CHECK(events.rows[0] ==
          std::vector<value>{pending, now_ms + 5, std::string("cancelled"), std::int64_t{2}});
    CHECK(storage::count_open_messages(*conn, o.provider) == 1);
    CHECK(storage::count_open_messages(*conn, other.provider) == 1);

    CHECK(storage::cancel_pending_messages(*conn, o.provider, now_ms + 6) == 0);
    CHECK(returned_int(conn->execute("SELECT COUNT(*) FROM message_events")) == 1);
  }
}

TEST_CASE("cancelling many pending messages writes one event for each", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto o = insert_message_owner(*conn, "owner@example.com");
    constexpr int count = 150;  // more than one multi-row INSERT carries
    for (int i = 0; i < count; ++i) insert_owned_message(*conn, o, "pending");

    CHECK(storage::cancel_pending_messages(*conn, o.provider, now_ms + 5) == count);
    CHECK(returned_int(conn->execute(
              "SELECT COUNT(DISTINCT message_id) FROM message_events WHERE event = 'cancelled'")) ==
          count);
    CHECK(storage::count_open_messages(*conn, o.provider) == 0);
  }
}
