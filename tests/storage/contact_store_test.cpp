#include "storage/contact_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/provider_store.hpp"
#include "storage/user_store.hpp"
#include "tests/storage/provider_rows.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

std::int64_t new_provider(storage::connection& db, const std::string& email) {
  return testing::new_provider(db, email, now_ms);
}

// The names found, sorted, for checks that must not depend on how a backend collates case.
std::vector<std::string> names_found(storage::connection& db, std::int64_t provider,
                                     const std::string& query) {
  std::vector<std::string> names;
  for (const auto& contact : storage::search_contacts(db, provider, query, 100, 0).items) {
    names.push_back(contact.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

using name_list = std::vector<std::string>;

}  // namespace

TEST_CASE("upserting a contact again keeps its local id and updates its fields", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    const auto first = storage::upsert_contacts(
        *conn, provider,
        {{"ext-1", "Ana", "ana@example.com", "+55 11 1111"}, {"ext-2", "Bruno", "", ""}}, now_ms);
    REQUIRE(first.size() == 2);
    CHECK(first[0].id > 0);
    CHECK(first[0].provider_id == provider);
    CHECK(first[0].external_id == "ext-1");
    CHECK(first[0].email == "ana@example.com");
    CHECK(first[0].phone == "+55 11 1111");
    CHECK(first[0].synced_at == now_ms);
    CHECK_FALSE(first[1].email);  // empty strings are stored as NULL
    CHECK_FALSE(first[1].phone);

    const auto again = storage::upsert_contacts(
        *conn, provider, {{"ext-1", "Ana Maria", "", "+55 11 2222"}}, now_ms + 10);
    REQUIRE(again.size() == 1);
    CHECK(again[0].id == first[0].id);
    CHECK(again[0].name == "Ana Maria");
    CHECK_FALSE(again[0].email);
    CHECK(again[0].phone == "+55 11 2222");
    CHECK(again[0].synced_at == now_ms + 10);
    CHECK(storage::count_contacts(*conn, provider) == 2);
    CHECK(names_found(*conn, provider, "maria") == name_list{"Ana Maria"});
    CHECK(names_found(*conn, provider, "1111").empty());  // the old phone is forgotten
    CHECK(storage::upsert_contacts(*conn, provider, {}, now_ms).empty());
  }
}

TEST_CASE("upserted contacts come back in input order, a repeated external id last winning",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    const auto stored = storage::upsert_contacts(
        *conn, provider, {{"z", "Zoe", "", ""}, {"a", "Ana", "", ""}, {"z", "Zoe Two", "", "9"}},
        now_ms);
    REQUIRE(stored.size() == 3);
    CHECK(stored[0].external_id == "z");
    CHECK(stored[1].external_id == "a");
    CHECK(stored[0].id == stored[2].id);
    CHECK(stored[0].name == "Zoe Two");
    CHECK(stored[2].phone == "9");
    CHECK(storage::count_contacts(*conn, provider) == 2);
  }
}

TEST_CASE("a batch of several hundred contacts is stored in one call", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    std::vector<domain::contact_fields> batch;
    for (int i = 0; i < 300; ++i) {
      const auto n = std::to_string(i);
      batch.push_back({"ext-" + n, "Contact " + n, "c" + n + "@example.com", "+55 11 " + n});
    }
    const auto stored = storage::upsert_contacts(*conn, provider, batch, now_ms);
    REQUIRE(stored.size() == batch.size());
    const auto in_input_order = std::equal(stored.begin(), stored.end(), batch.begin(),
                                           [](const auto& record, const auto& fields) {
                                             return record.external_id == fields.external_id;
                                           });
    CHECK(in_input_order);
    CHECK(storage::count_contacts(*conn, provider) == 300);

    const auto again = storage::upsert_contacts(*conn, provider, batch, now_ms + 1);
    REQUIRE(again.size() == stored.size());
    const auto same_ids = std::equal(again.begin(), again.end(), stored.begin(),
                                     [](const auto& a, const auto& b) { return a.id == b.id; });
    CHECK(same_ids);
    CHECK(storage::count_contacts(*conn, provider) == 300);
  }
}

TEST_CASE("contact search ignores case and accents on every backend", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    storage::upsert_contacts(*conn, provider,
                             {{"1", "Jos\xC3\xA9 Silva", "", ""},
                              {"2", "jose lima", "", ""},
                              {"3", "Jo\xC3\xA3o", "JOAO@Example.COM", ""},
                              {"4", "\xC5\x81ucja", "", ""}},
                             now_ms);
    CHECK(names_found(*conn, provider, "jose") == name_list{"Jos\xC3\xA9 Silva", "jose lima"});
    CHECK(names_found(*conn, provider, "JOS\xC3\x89") ==
          name_list{"Jos\xC3\xA9 Silva", "jose lima"});
    CHECK(names_found(*conn, provider, "silva") == name_list{"Jos\xC3\xA9 Silva"});
    CHECK(names_found(*conn, provider, "example.com") == name_list{"Jo\xC3\xA3o"});
    CHECK(names_found(*conn, provider, "lucja") == name_list{"\xC5\x81ucja"});
    CHECK(names_found(*conn, provider, "nobody").empty());
  }
}

TEST_CASE("a phone-like query matches the phone's digits whatever their punctuation", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    storage::upsert_contacts(*conn, provider,
                             {{"1", "Ana", "", "5511987654321"},
                              {"2", "Bruno", "", "+55 (11) 98765-0000"},
                              {"3", "Carla", "", "+1 212 555 0100"}},
                             now_ms);
    CHECK(names_found(*conn, provider, "+55 (11) 9") == name_list{"Ana", "Bruno"});
    CHECK(names_found(*conn, provider, "98765-4321") == name_list{"Ana"});
    CHECK(names_found(*conn, provider, "(11) 98765") == name_list{"Ana", "Bruno"});
    CHECK(names_found(*conn, provider, "2125550100") == name_list{"Carla"});
    CHECK(names_found(*conn, provider, "555 01") == name_list{"Carla"});  // the stored text itself
  }
}

TEST_CASE("LIKE wildcards in a search query match only themselves", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    storage::upsert_contacts(*conn, provider,
                             {{"1", "100% Real", "", ""},
                              {"2", "100 Real", "", ""},
                              {"3", "a_b", "", ""},
                              {"4", "axb", "", ""},
                              {"5", "x!y", "", ""},
                              {"6", "back\\slash", "", ""}},
                             now_ms);
    CHECK(names_found(*conn, provider, "100%") == name_list{"100% Real"});
    CHECK(names_found(*conn, provider, "%") == name_list{"100% Real"});
    CHECK(names_found(*conn, provider, "a_b") == name_list{"a_b"});
    CHECK(names_found(*conn, provider, "_") == name_list{"a_b"});
    CHECK(names_found(*conn, provider, "!") == name_list{"x!y"});
    CHECK(names_found(*conn, provider, "k\\s") == name_list{"back\\slash"});
  }
}

TEST_CASE("contact search pages by name, then id, and counts every match", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    const auto other = new_provider(*conn, "bob@example.com");
    const auto stored = storage::upsert_contacts(*conn, provider,
                                                 {{"1", "Davi", "", ""},
                                                  {"2", "Bruno", "", ""},
                                                  {"3", "Ana", "", ""},
                                                  {"4", "Bruno", "", ""},
                                                  {"5", "Carla", "", ""}},
                                                 now_ms);
    storage::upsert_contacts(*conn, other, {{"1", "Bruno", "", ""}}, now_ms);
    const auto ids = [](const domain::page<domain::contact_record>& page) {
      std::vector<std::int64_t> found;
      for (const auto& contact : page.items) found.push_back(contact.id);
      return found;
    };

    const auto first = storage::search_contacts(*conn, provider, "", 2, 0);
    CHECK(first.total == 5);
    CHECK(ids(first) == std::vector{stored[2].id, stored[1].id});
    CHECK(ids(storage::search_contacts(*conn, provider, "", 2, 2)) ==
          std::vector{stored[3].id, stored[4].id});
    CHECK(ids(storage::search_contacts(*conn, provider, "", 2, 4)) == std::vector{stored[0].id});
    const auto beyond = storage::search_contacts(*conn, provider, "", 2, 6);
    CHECK(beyond.items.empty());
    CHECK(beyond.total == 5);

    const auto brunos = storage::search_contacts(*conn, provider, "BRUNO", 1, 1);
    CHECK(brunos.total == 2);
    CHECK(ids(brunos) == std::vector{stored[3].id});
    CHECK(storage::search_contacts(*conn, other, "", 10, 0).total == 1);
  }
}

TEST_CASE("deleting a connection deletes its contacts", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    const auto kept = new_provider(*conn, "bob@example.com");
    storage::upsert_contacts(*conn, provider, {{"1", "Ana", "", ""}, {"2", "Bia", "", ""}}, now_ms);
    storage::upsert_contacts(*conn, kept, {{"1", "Ana", "", ""}}, now_ms);
    const auto owner = storage::find_provider_by_id(*conn, provider);
    REQUIRE(owner);

    REQUIRE(storage::delete_provider(*conn, owner->user_id, provider));
    CHECK(storage::count_contacts(*conn, provider) == 0);
    CHECK(conn->execute("SELECT COUNT(*) FROM contacts").rows.at(0).at(0) ==
          storage::value{std::int64_t{1}});
  }
}

TEST_CASE("contacts whose search text older rules wrote are folded again, a batch at a time",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto provider = new_provider(*conn, "alice@example.com");
    storage::upsert_contacts(*conn, provider,
                             {{"1", "Ana", "", "+55 11 98765-4321"},
                              {"2", "Bruno", "", "+55 11 8765-0000"},
                              {"3", "Carla", "", "+55 11 98765-1111"}},
                             now_ms);
    CHECK(storage::refold_contacts(*conn, 10) == 0);
    // As version 1 stored them: no other form of a Brazilian mobile.
    conn->execute(
        "UPDATE contacts SET search_version = 1, search_text = LOWER(name) || ' ' || phone"
        " WHERE provider_id = $1",
        {provider});
    CHECK(names_found(*conn, provider, "(11) 8765-4321").empty());
    CHECK(names_found(*conn, provider, "11 98765-0000").empty());
    // An import rewrites Carla by the current rules first.
    storage::upsert_contacts(*conn, provider, {{"3", "Carla", "", "+55 11 98765-1111"}}, now_ms);

    CHECK(storage::refold_contacts(*conn, 1) == 1);
    CHECK(storage::refold_contacts(*conn, 10) == 1);
    CHECK(storage::refold_contacts(*conn, 10) == 0);
    CHECK(names_found(*conn, provider, "(11) 8765-4321") == name_list{"Ana"});
    CHECK(names_found(*conn, provider, "11 98765-0000") == name_list{"Bruno"});
    CHECK(names_found(*conn, provider, "1187651111") == name_list{"Carla"});
    CHECK(names_found(*conn, provider, "bruno") == name_list{"Bruno"});
  }
}
