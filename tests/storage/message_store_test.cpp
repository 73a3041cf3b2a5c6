#include "storage/message_store.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/storage/message_rows.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;
using storage::value;

using schedulerd::testing::hour_ms;
using schedulerd::testing::now_ms;

namespace {

std::vector<std::string> event_names(storage::connection& db, std::int64_t user,
                                     std::int64_t message) {
  std::vector<std::string> names;
  const auto events = storage::message_events(db, user, message).value();
  names.reserve(events.size());
  for (const auto& event : events) {
    names.push_back(event.event);
  }
  return names;
}

}  // namespace

TEST_CASE("a message is stored at once only for the user's enabled connection and its contact",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);

    const auto stored = storage::insert_allowed_message(
        *conn, owner.user, testing::draft_for(owner, 0, "Hello", now_ms + hour_ms), now_ms);
    REQUIRE(stored);
    CHECK(stored->user_id == owner.user);
    CHECK(stored->provider_id == owner.provider);
    CHECK(stored->contact.id == owner.contacts[0]);
    CHECK(stored->contact.name == "Contact 0");
    CHECK(stored->contact.phone == "+55 11 9000-0");
    CHECK(stored->content == "Hello");
    CHECK(stored->status == "pending");
    CHECK(stored->attempts == 0);
    CHECK(stored->send_at == now_ms + hour_ms);
    CHECK(stored->next_attempt_at == now_ms + hour_ms);
    CHECK(stored->created_at == now_ms);
    CHECK(stored->updated_at == now_ms);
    const auto found = storage::find_message(*conn, owner.user, stored->id);
    REQUIRE(found);
    CHECK(found->contact.id == owner.contacts[0]);
    CHECK(event_names(*conn, owner.user, stored->id) == std::vector<std::string>{"created"});

    // Another user's connection, a contact of another connection, a disabled connection: no
    // row and no event.
    CHECK_FALSE(storage::insert_allowed_message(
        *conn, other.user, testing::draft_for(owner, 1, "Hi", now_ms + hour_ms), now_ms));
    auto foreign_contact = testing::draft_for(owner, 1, "Hi", now_ms + hour_ms);
    foreign_contact.contact_id = other.contacts[0];
    CHECK_FALSE(storage::insert_allowed_message(*conn, owner.user, foreign_contact, now_ms));
    conn->execute("UPDATE providers SET enabled = 0 WHERE id = $1", {owner.provider});
    CHECK_FALSE(storage::insert_allowed_message(
        *conn, owner.user, testing::draft_for(owner, 1, "Hi", now_ms + hour_ms), now_ms));
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages") == 1);
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM message_events") == 1);
  }
}

TEST_CASE("several messages are stored at once, each answered in the order asked or refused",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    const auto later = now_ms + hour_ms;
    auto foreign_contact = testing::draft_for(owner, 0, "Not yours", later);
    foreign_contact.contact_id = other.contacts[0];
    auto foreign_connection = testing::draft_for(other, 0, "Not yours either", later);
    const std::vector<storage::allowed_message_request> requests{
        {testing::draft_for(owner, 1, "Second contact", later + 1), now_ms + 5},
        {foreign_contact, now_ms + 5},
        {testing::draft_for(owner, 0, "It's \"quoted\", {braced} and NULL", later), now_ms + 6},
        {foreign_connection, now_ms + 6},
        {testing::draft_for(owner, 1, "Second contact", later + 1), now_ms + 5},
    };

    const auto stored = storage::insert_allowed_messages(*conn, owner.user, requests);
    REQUIRE(stored.size() == requests.size());
    CHECK_FALSE(stored[1]);
    CHECK_FALSE(stored[3]);
    for (const auto index : {0, 2, 4}) {
      INFO("request " << index);
      const auto& asked = requests[static_cast<std::size_t>(index)];
      REQUIRE(stored[static_cast<std::size_t>(index)]);
      const auto& message = *stored[static_cast<std::size_t>(index)];
      CHECK(message.user_id == owner.user);
      CHECK(message.provider_id == owner.provider);
      CHECK(message.contact.id == asked.draft.contact_id);
      CHECK(message.content == asked.draft.content);
      CHECK(message.send_at == asked.draft.send_at);
      CHECK(message.next_attempt_at == asked.draft.send_at);
      CHECK(message.created_at == asked.now_ms);
      CHECK(message.status == "pending");
      CHECK(event_names(*conn, owner.user, message.id) == std::vector<std::string>{"created"});
      CHECK(storage::find_message(*conn, owner.user, message.id));
    }
    // Two requests alike are two messages, numbered in the order asked.
    CHECK(stored[0]->id < stored[2]->id);
    CHECK(stored[2]->id < stored[4]->id);
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages") == 3);
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM message_events") == 3);
    CHECK(storage::insert_allowed_messages(*conn, owner.user, {}).empty());
  }
}

TEST_CASE("a message stored at once in the caller's transaction goes with its rollback",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto draft = testing::draft_for(owner, 1, "Hello", now_ms + hour_ms);

    conn->begin();
    const auto undone =
        storage::insert_allowed_message_in_transaction(*conn, owner.user, draft, now_ms);
    REQUIRE(undone);
    CHECK(undone->contact.id == owner.contacts[1]);
    conn->rollback();
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages") == 0);
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM message_events") == 0);

    conn->begin();
    const auto kept =
        storage::insert_allowed_message_in_transaction(*conn, owner.user, draft, now_ms);
    auto refused = draft;
    refused.contact_id = 999'999;
    CHECK_FALSE(storage::insert_allowed_message_in_transaction(*conn, owner.user, refused, now_ms));
    conn->commit();
    REQUIRE(kept);
    const auto found = storage::find_message(*conn, owner.user, kept->id);
    REQUIRE(found);
    CHECK(found->content == "Hello");
    CHECK(event_names(*conn, owner.user, kept->id) == std::vector<std::string>{"created"});
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages") == 1);
  }
}

TEST_CASE("a new message is stored pending with its contact and a created event", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);

    const auto stored = storage::insert_message(
        *conn, owner.user, testing::draft_for(owner, 0, "Hello", now_ms + hour_ms), now_ms);
    CHECK(stored.id > 0);
    CHECK(stored.user_id == owner.user);
    CHECK(stored.provider_id == owner.provider);
    CHECK(stored.contact.id == owner.contacts[0]);
    CHECK(stored.contact.name == "Contact 0");
    CHECK(stored.contact.phone == "+55 11 9000-0");
    CHECK_FALSE(stored.batch_id);
    CHECK(stored.content == "Hello");
    CHECK(stored.send_at == now_ms + hour_ms);
    CHECK(stored.status == "pending");
    CHECK(stored.attempts == 0);
    CHECK(stored.next_attempt_at == now_ms + hour_ms);
    CHECK(stored.last_error.empty());
    CHECK(stored.provider_message_id.empty());
    CHECK_FALSE(stored.sent_at);
    CHECK(stored.created_at == now_ms);
    CHECK(stored.updated_at == now_ms);

    const auto without_phone = storage::insert_message(
        *conn, owner.user, testing::draft_for(owner, 1, "Hi", now_ms + hour_ms), now_ms);
    CHECK_FALSE(without_phone.contact.phone);

    const auto found = storage::find_message(*conn, owner.user, stored.id);
    REQUIRE(found);
    CHECK(found->contact.name == "Contact 0");
    CHECK(found->next_attempt_at == now_ms + hour_ms);
    CHECK_FALSE(storage::find_message(*conn, other.user, stored.id));
    CHECK_FALSE(storage::find_message(*conn, owner.user, stored.id + 1000));

    const auto events = storage::message_events(*conn, owner.user, stored.id);
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    CHECK(events->at(0).event == "created");
    CHECK(events->at(0).at == now_ms);
    CHECK(events->at(0).attempt == 0);
    CHECK(events->at(0).detail.empty());
    CHECK_FALSE(events->at(0).http_status);
    CHECK_FALSE(events->at(0).latency_ms);
    CHECK_FALSE(storage::message_events(*conn, other.user, stored.id));
    CHECK_FALSE(storage::message_events(*conn, owner.user, stored.id + 1000));
  }
}

TEST_CASE("a pending message can be edited, and only while it is pending", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    const auto id =
        storage::insert_message(*conn, owner.user,
                                testing::draft_for(owner, 0, "Hello", now_ms + hour_ms), now_ms)
            .id;

    domain::message_patch patch;
    patch.content = "Hello again";
    patch.send_at = now_ms + 2 * hour_ms;
    auto updated = storage::update_pending_message(*conn, owner.user, id, patch, now_ms + 10);
    REQUIRE(updated);
    CHECK(updated->content == "Hello again");
    CHECK(updated->send_at == now_ms + 2 * hour_ms);
    CHECK(updated->next_attempt_at == now_ms + 2 * hour_ms);
    CHECK(updated->contact.id == owner.contacts[0]);
    CHECK(updated->updated_at == now_ms + 10);
    CHECK(updated->created_at == now_ms);

    domain::message_patch recipient;
    recipient.contact_id = owner.contacts[1];
    updated = storage::update_pending_message(*conn, owner.user, id, recipient, now_ms + 20);
    REQUIRE(updated);
    CHECK(updated->contact.id == owner.contacts[1]);
    CHECK(updated->contact.name == "Contact 1");
    CHECK(updated->content == "Hello again");

    // Nothing to change: the message as it is, no write, no event.
    updated = storage::update_pending_message(*conn, owner.user, id, {}, now_ms + 30);
    REQUIRE(updated);
    CHECK(updated->updated_at == now_ms + 20);

    const auto events = storage::message_events(*conn, owner.user, id).value();
    REQUIRE(events.size() == 3);
    CHECK(events[1].event == "updated");
    CHECK(events[1].detail == "changed: content, send_at");
    CHECK(events[1].at == now_ms + 10);
    CHECK(events[2].detail == "changed: contact_id");

    CHECK_FALSE(storage::update_pending_message(*conn, other.user, id, patch, now_ms + 40));
    CHECK_FALSE(storage::update_pending_message(*conn, owner.user, id + 1000, patch, now_ms + 40));
    // Claimed by the dispatcher meanwhile: the edit loses, and nothing changes.
    testing::set_message_column(*conn, id, "status", std::string("processing"));
    patch.content = "Too late";
    CHECK_FALSE(storage::update_pending_message(*conn, owner.user, id, patch, now_ms + 50));
    CHECK_FALSE(storage::update_pending_message(*conn, owner.user, id, {}, now_ms + 50));
    CHECK(testing::message_column(*conn, id, "content") == value{std::string("Hello again")});
    CHECK(event_names(*conn, owner.user, id).size() == 3);
  }
}

TEST_CASE("a pending message can be cancelled once, and a claimed one not at all", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 1, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    const auto draft = testing::draft_for(owner, 0, "Hello", now_ms + hour_ms);
    const auto id = storage::insert_message(*conn, owner.user, draft, now_ms).id;
    const auto claimed = storage::insert_message(*conn, owner.user, draft, now_ms).id;
    testing::set_message_column(*conn, claimed, "status", std::string("processing"));

    CHECK_FALSE(storage::cancel_pending_message(*conn, other.user, id, now_ms + 5));
    const auto cancelled = storage::cancel_pending_message(*conn, owner.user, id, now_ms + 5);
    REQUIRE(cancelled);
    CHECK(cancelled->status == "cancelled");
    CHECK(cancelled->updated_at == now_ms + 5);
    CHECK_FALSE(storage::cancel_pending_message(*conn, owner.user, id, now_ms + 6));
    CHECK(event_names(*conn, owner.user, id) == std::vector<std::string>{"created", "cancelled"});
    const auto events = storage::message_events(*conn, owner.user, id).value();
    CHECK(events.back().at == now_ms + 5);
    CHECK_FALSE(events.back().detail.empty());

    CHECK_FALSE(storage::cancel_pending_message(*conn, owner.user, claimed, now_ms + 7));
    CHECK(testing::message_column(*conn, claimed, "status") == value{std::string("processing")});
    CHECK(event_names(*conn, owner.user, claimed) == std::vector<std::string>{"created"});
  }
}

// How fast is for the benchmarks (bench/, the creation scenario); a timed test fails on a busy
// machine without telling anything about the code.
TEST_CASE("a batch of 10,000 contacts is stored in one go with an event for each message",
          "[storage]") {
  constexpr std::size_t contacts = 10'000;
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", contacts, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    const domain::bulk_draft draft{owner.provider, owner.contacts, "Sale today", now_ms + hour_ms};

    conn->begin();
    const auto batch = storage::insert_batch(*conn, owner.user, draft, now_ms);
    conn->commit();

    CHECK(batch.id > 0);
    CHECK(batch.user_id == owner.user);
    CHECK(batch.provider_id == owner.provider);
    CHECK(batch.total == static_cast<std::int64_t>(contacts));
    CHECK(batch.counts.pending == static_cast<std::int64_t>(contacts));
    CHECK(batch.counts.sent == 0);
    CHECK(batch.content == "Sale today");
    CHECK(batch.send_at == now_ms + hour_ms);
    CHECK(batch.created_at == now_ms);
    CHECK(testing::count_of(*conn,
                            "SELECT COUNT(*) FROM scheduled_messages WHERE batch_id = $1"
                            " AND status = 'pending' AND next_attempt_at = $2 AND user_id = $3",
                            {batch.id, now_ms + hour_ms, owner.user}) ==
          static_cast<std::int64_t>(contacts));
    CHECK(testing::count_of(*conn,
                            "SELECT COUNT(DISTINCT e.message_id) FROM message_events e JOIN"
                            " scheduled_messages m ON m.id = e.message_id WHERE m.batch_id = $1"
                            " AND e.event = 'created'",
                            {batch.id}) == static_cast<std::int64_t>(contacts));
    // The messages follow the request's order of contacts.
    const auto first = conn->execute(
        "SELECT contact_id FROM scheduled_messages WHERE batch_id = $1 ORDER BY id LIMIT 2",
        {batch.id});
    CHECK(first.rows.at(0).at(0) == value{owner.contacts[0]});
    CHECK(first.rows.at(1).at(0) == value{owner.contacts[1]});

    const auto some = conn->execute(
        "SELECT id FROM scheduled_messages WHERE batch_id = $1 ORDER BY id LIMIT 3", {batch.id});
    const auto claimed = std::get<std::int64_t>(some.rows.at(0).at(0));
    const auto sent = std::get<std::int64_t>(some.rows.at(1).at(0));
    testing::set_message_column(*conn, claimed, "status", std::string("processing"));
    testing::set_message_column(*conn, sent, "status", std::string("sent"));
    auto found = storage::find_batch(*conn, owner.user, batch.id);
    REQUIRE(found);
    CHECK(found->total == static_cast<std::int64_t>(contacts));
    CHECK(found->counts.pending == static_cast<std::int64_t>(contacts) - 2);
    CHECK(found->counts.processing == 1);
    CHECK(found->counts.sent == 1);
    CHECK(found->content == "Sale today");
    CHECK_FALSE(storage::find_batch(*conn, other.user, batch.id));
    CHECK_FALSE(storage::cancel_pending_batch(*conn, other.user, batch.id, now_ms + 1));
    CHECK_FALSE(storage::find_batch(*conn, owner.user, batch.id + 1000));

    const auto cancelled = storage::cancel_pending_batch(*conn, owner.user, batch.id, now_ms + 1);
    REQUIRE(cancelled);
    CHECK(cancelled->size() == contacts - 2);
    CHECK(cancelled->front() == std::get<std::int64_t>(some.rows.at(2).at(0)));
    found = storage::find_batch(*conn, owner.user, batch.id);
    REQUIRE(found);
    CHECK(found->counts.cancelled == static_cast<std::int64_t>(contacts) - 2);
    CHECK(found->counts.processing == 1);
    CHECK(found->counts.pending == 0);
    CHECK(event_names(*conn, owner.user, cancelled->back()) ==
          std::vector<std::string>{"created", "cancelled"});
    CHECK(event_names(*conn, owner.user, claimed) == std::vector<std::string>{"created"});
    CHECK(storage::cancel_pending_batch(*conn, owner.user, batch.id, now_ms + 2).value().empty());
  }
}

TEST_CASE("foreign contacts are those the connection does not have", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 300, now_ms);
    const auto other = testing::new_message_owner(*conn, "bob@example.com", 2, now_ms);

    CHECK(storage::foreign_contacts(*conn, owner.provider, {}).empty());
    CHECK(storage::foreign_contacts(*conn, owner.provider, owner.contacts).empty());
    auto asked = owner.contacts;
    asked.insert(asked.begin() + 150, other.contacts[1]);
    asked.push_back(other.contacts[0]);
    asked.push_back(999'999);
    CHECK(storage::foreign_contacts(*conn, owner.provider, asked) ==
          std::vector<std::int64_t>{other.contacts[1], other.contacts[0], 999'999});
    CHECK(
        storage::foreign_contacts(*conn, other.provider, {owner.contacts[0], other.contacts[0]}) ==
        std::vector<std::int64_t>{owner.contacts[0]});

    // As many ids as the largest batch.
    std::vector<std::int64_t> many;
    for (std::int64_t n = 0; n < 10'000; ++n) many.push_back(owner.contacts[n % 300]);
    many[9'999] = 999'998;
    CHECK(storage::foreign_contacts(*conn, owner.provider, many) ==
          std::vector<std::int64_t>{999'998});
  }
}
