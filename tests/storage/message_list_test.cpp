#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/message_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::hour_ms;
using schedulerd::testing::now_ms;

namespace {

// Alice's messages, created in this order one millisecond apart (ids ascending):
//   0 "Hello Ana"          contact 0  +3 h  pending
//   1 "50% off_today"      contact 1  +1 h  sent
//   2 "hello BRUNO"        contact 0  +2 h  failed
//   3 "Reminder"           contact 1  +2 h  pending   (same send_at as 2)
//   4 "Batch note"  (batch) contact 0  +5 h  pending
//   5 "Batch note"  (batch) contact 1  +5 h  cancelled
// and one of Bob's, "Hello Ana" too, which no list of Alice's may show.
struct listed {
  testing::message_owner alice;
  testing::message_owner bob;
  std::vector<std::int64_t> ids;
  std::int64_t batch = 0;
};

listed insert_messages(storage::connection& db) {
  listed l{testing::new_message_owner(db, "alice@example.com", 2, now_ms),
           testing::new_message_owner(db, "bob@example.com", 1, now_ms),
           {},
           0};
  const auto add = [&](std::size_t contact, const std::string& content, std::int64_t hours,
                       const std::string& status) {
    const auto at = now_ms + static_cast<std::int64_t>(l.ids.size());
    const auto id = storage::insert_message(
                        db, l.alice.user,
                        testing::draft_for(l.alice, contact, content, now_ms + hours * hour_ms), at)
                        .id;
    testing::set_message_column(db, id, "status", status);
    // updated_at runs the other way round, so that its order differs from created_at's.
    testing::set_message_column(db, id, "updated_at", 2 * now_ms + 100 - at);
    l.ids.push_back(id);
  };
  add(0, "Hello Ana", 3, "pending");
  add(1, "50% off_today", 1, "sent");
  add(0, "hello BRUNO", 2, "failed");
  add(1, "Reminder", 2, "pending");
  const domain::bulk_draft bulk{l.alice.provider, l.alice.contacts, "Batch note",
                                now_ms + 5 * hour_ms};
  l.batch = storage::insert_batch(db, l.alice.user, bulk, now_ms + 4).id;
  for (const auto& row : db.execute("SELECT id FROM scheduled_messages WHERE batch_id = $1"
                                    " ORDER BY id",
                                    {l.batch})
                             .rows) {
    l.ids.push_back(std::get<std::int64_t>(row.at(0)));
  }
  testing::set_message_column(db, l.ids[5], "status", std::string("cancelled"));
  storage::insert_message(db, l.bob.user, testing::draft_for(l.bob, 0, "Hello Ana", now_ms),
                          now_ms);
  return l;
}

// The positions (in `l.ids`) of the messages a list answers, in its order.
std::vector<std::size_t> positions(const listed& l, const domain::page<domain::message_record>& p) {
  std::vector<std::size_t> found;
  for (const auto& message : p.items) {
    found.push_back(static_cast<std::size_t>(std::find(l.ids.begin(), l.ids.end(), message.id) -
                                             l.ids.begin()));
  }
  return found;
}

using order = std::vector<std::size_t>;

}  // namespace

TEST_CASE("listing messages filters them, and only ever shows the user's own", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto l = insert_messages(*conn);
    const auto list = [&](const domain::message_filter& filter) {
      return storage::list_messages(*conn, l.alice.user, filter);
    };

    domain::message_filter all;
    const auto everything = list(all);
    CHECK(everything.total == 6);
    CHECK(positions(l, everything) == order{1, 2, 3, 0, 4, 5});
    CHECK(everything.items[0].contact.name == "Contact 1");
    CHECK(everything.items[1].contact.phone == "+55 11 9000-0");
    CHECK(everything.items[4].batch_id == l.batch);

    auto filter = all;
    filter.statuses = {"pending", "failed"};
    CHECK(positions(l, list(filter)) == order{2, 3, 0, 4});
    filter = all;
    filter.statuses = {"sent"};
    CHECK(list(filter).total == 1);
    filter = all;
    filter.contact_id = l.alice.contacts[1];
    CHECK(positions(l, list(filter)) == order{1, 3, 5});
    CHECK(list(filter).total == 3);  // counted from the rows, in the page's own statement
    filter = all;
    filter.batch_id = l.batch;
    CHECK(positions(l, list(filter)) == order{4, 5});
    filter = all;
    filter.provider_id = l.alice.provider;
    CHECK(list(filter).total == 6);
    filter.provider_id = l.bob.provider;
    CHECK(list(filter).total == 0);
    filter = all;
    filter.send_at_from = now_ms + 2 * hour_ms;
    filter.send_at_to = now_ms + 3 * hour_ms;
    CHECK(positions(l, list(filter)) == order{2, 3, 0});

    // The search ignores ASCII case, and its wildcards are plain characters.
    filter = all;
    filter.q = "HELLO";
    CHECK(positions(l, list(filter)) == order{2, 0});
    CHECK(list(filter).total == 2);
    filter.q = "0% OFF_";
    CHECK(positions(l, list(filter)) == order{1});
    filter.q = "0%";
    CHECK(positions(l, list(filter)) == order{1});
    filter.q = "o_e";  // as a wildcard, `_` would find "note"
    CHECK(list(filter).total == 0);
    filter.q = "h%a";  // as a wildcard, `%` would find "Hello Ana"
    CHECK(list(filter).total == 0);
    filter.q = "f_t";
    CHECK(positions(l, list(filter)) == order{1});
    filter.q = "!";
    CHECK(list(filter).total == 0);
    filter.q = "\\";
    CHECK(list(filter).total == 0);

    filter = all;
    filter.statuses = {"pending"};
    filter.q = "note";
    filter.contact_id = l.alice.contacts[0];
    filter.send_at_from = now_ms;
    CHECK(positions(l, list(filter)) == order{4});

    CHECK(storage::list_messages(*conn, l.bob.user, all).total == 1);
    domain::message_filter bad;
    bad.sort = {"content; DROP TABLE users", false};
    CHECK_THROWS_AS(list(bad), storage::storage_error);
  }
}

TEST_CASE("listing messages sorts by each field both ways, ties by send_at or id, and pages",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto l = insert_messages(*conn);
    const auto sorted = [&](const std::string& field, bool descending) {
      domain::message_filter filter;
      filter.sort = {field, descending};
      return positions(l, storage::list_messages(*conn, l.alice.user, filter));
    };

    CHECK(sorted("", false) == order{1, 2, 3, 0, 4, 5});
    CHECK(sorted("send_at", false) == order{1, 2, 3, 0, 4, 5});
    CHECK(sorted("send_at", true) == order{5, 4, 0, 3, 2, 1});
    CHECK(sorted("created_at", false) == order{0, 1, 2, 3, 4, 5});
    CHECK(sorted("created_at", true) == order{5, 4, 3, 2, 1, 0});
    CHECK(sorted("updated_at", false) == order{4, 5, 3, 2, 1, 0});
    CHECK(sorted("updated_at", true) == order{0, 1, 2, 3, 5, 4});
    // Within a status, by send_at (3 is due before 0), and only then by id.
    CHECK(sorted("status", false) == order{5, 2, 3, 0, 4, 1});
    CHECK(sorted("status", true) == order{1, 4, 0, 3, 2, 5});

    domain::message_filter filter;
    filter.per_page = 4;
    auto page = storage::list_messages(*conn, l.alice.user, filter);
    CHECK(page.total == 6);
    CHECK(positions(l, page) == order{1, 2, 3, 0});
    filter.page = 2;
    page = storage::list_messages(*conn, l.alice.user, filter);
    CHECK(page.total == 6);
    CHECK(positions(l, page) == order{4, 5});
    filter.page = 3;
    page = storage::list_messages(*conn, l.alice.user, filter);
    CHECK(page.total == 6);
    CHECK(page.items.empty());
    // Past the end of a search: the total is counted apart, from the rows.
    filter.q = "note";
    filter.page = 2;
    page = storage::list_messages(*conn, l.alice.user, filter);
    CHECK(page.total == 2);
    CHECK(page.items.empty());
  }
}
