#include <catch2/catch.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "storage/message_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::hour_ms;
using schedulerd::testing::now_ms;

// On PostgreSQL a message has no key to its contact: the writes lock the contacts instead, and a
// trigger deletes a contact's messages with it (postgres/0006_contact_lock.sql). These tests
// delete a connection while messages for its contacts are being written, both ways round, and
// expect what the key gave: no message left behind without its contact, and no deadlock.

namespace {

std::int64_t count_of(storage::connection& db, const std::string& sql, std::int64_t id) {
  return std::get<std::int64_t>(db.execute(sql, {id}).rows.at(0).at(0));
}

// A PostgreSQL database holding one user's connection with `contacts` contacts, and a session
// each to look, to write messages and to delete the connection.
struct racing_sessions {
  explicit racing_sessions(std::size_t contacts)
      : db(testing::test_database::postgres()),
        look(db.connect()),
        owner(testing::new_message_owner(*look, "ada@example.com", contacts, now_ms)),
        writer(db.connect()),
        deleter(db.connect()) {}

  // Whether a session of this database waits for a row lock now.
  [[nodiscard]] bool someone_waits_for_a_lock() const {
    const auto waiting = look->execute(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock'",
        {});
    return std::get<std::int64_t>(waiting.rows.at(0).at(0)) > 0;
  }

  // Deletes the connection, which deletes its contacts.
  void delete_connection() {
    deleter->execute("DELETE FROM providers WHERE id = $1", {owner.provider});
  }

  // How many messages the user has left.
  [[nodiscard]] std::int64_t messages_left() const {
    return count_of(*look, "SELECT COUNT(*) FROM scheduled_messages WHERE user_id = $1",
                    owner.user);
  }

  testing::test_database db;
  std::unique_ptr<storage::connection> look;
  testing::message_owner owner;
  std::unique_ptr<storage::connection> writer;
  std::unique_ptr<storage::connection> deleter;
};

// Runs `work` on a thread of its own; what it throws lands in `error`.
template <class Work>
std::thread on_a_thread(Work work, std::string& error) {
  return std::thread([work = std::move(work), &error] {
    try {
      work();
    } catch (const std::exception& thrown) {
      error = thrown.what();
    }
  });
}

}  // namespace

TEST_CASE("a connection deleted while a batch is written takes the batch's messages too",
          "[storage][postgres]") {
  racing_sessions race(3);
  const auto& owner = race.owner;

  race.writer->begin();
  REQUIRE(storage::foreign_contacts(*race.writer, owner.provider, owner.contacts).empty());
  std::string deletion_error;
  auto deleting = on_a_thread([&] { race.delete_connection(); }, deletion_error);
  // The check locked the connection and its contacts: the deletion waits for the batch.
  const bool waited = testing::eventually([&] { return race.someone_waits_for_a_lock(); });
  const domain::bulk_draft draft{owner.provider, owner.contacts, "Hello", now_ms + hour_ms};
  storage::insert_batch(*race.writer, owner.user, draft, now_ms);
  race.writer->commit();
  deleting.join();

  CHECK(waited);
  CHECK(deletion_error.empty());
  CHECK(count_of(*race.look, "SELECT COUNT(*) FROM contacts WHERE provider_id = $1",
                 owner.provider) == 0);
  CHECK(race.messages_left() == 0);
}

TEST_CASE("a message written while its connection is being deleted is refused",
          "[storage][postgres]") {
  racing_sessions race(1);
  const auto& owner = race.owner;

  race.deleter->begin();
  race.delete_connection();
  std::optional<domain::message_record> created;
  std::string write_error;
  auto writing = on_a_thread(
      [&] {
        created = storage::insert_allowed_message(
            *race.writer, owner.user, testing::draft_for(owner, 0, "Hello", now_ms + hour_ms),
            now_ms);
      },
      write_error);
  // The deleted contact is locked until the deletion ends; then it is gone, and so is the write.
  const bool waited = testing::eventually([&] { return race.someone_waits_for_a_lock(); });
  race.deleter->commit();
  writing.join();

  CHECK(waited);
  CHECK(write_error.empty());
  CHECK_FALSE(created);
  CHECK(race.messages_left() == 0);
}

TEST_CASE("deleting a contact deletes its messages and their history, and only theirs",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "ada@example.com", 2, now_ms);
    const auto gone = storage::insert_message(
        *conn, owner.user, testing::draft_for(owner, 0, "Gone", now_ms + hour_ms), now_ms);
    const auto kept = storage::insert_message(
        *conn, owner.user, testing::draft_for(owner, 1, "Kept", now_ms + hour_ms), now_ms);

    conn->execute("DELETE FROM contacts WHERE id = $1", {owner.contacts[0]});

    CHECK(count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages WHERE id = $1", gone.id) == 0);
    CHECK(count_of(*conn, "SELECT COUNT(*) FROM message_events WHERE message_id = $1", gone.id) ==
          0);
    CHECK(count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages WHERE id = $1", kept.id) == 1);
    CHECK(count_of(*conn, "SELECT COUNT(*) FROM message_events WHERE message_id = $1", kept.id) ==
          1);
  }
}
