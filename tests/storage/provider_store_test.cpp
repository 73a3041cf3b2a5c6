#include "storage/provider_store.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/user_store.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

std::int64_t new_user(storage::connection& db, const std::string& email) {
  return storage::insert_user(db, "User", email, "", now_ms).id;
}

domain::provider_record draft(std::int64_t user_id, const std::string& name,
                              std::int64_t created_at = now_ms) {
  domain::provider_record record;
  record.user_id = user_id;
  record.type = "huggy";
  record.name = name;
  record.credentials_ciphertext = "sealed:" + name;
  record.credentials_hint = {{"api_token",
                              "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2"
                              "ab12"}};
  record.settings = {{"company_id", "42"}, {"send_mode", "whatsapp"}};
  record.created_at = created_at;
  record.updated_at = created_at;
  return record;
}

std::vector<std::int64_t> ids_of(const domain::page<domain::provider_record>& page) {
  std::vector<std::int64_t> ids;
  for (const auto& item : page.items) ids.push_back(item.id);
  return ids;
}

}  // namespace

TEST_CASE("a stored connection is found, and deleted, by its owner only", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_user(*conn, "alice@example.com");
    const auto mallory = new_user(*conn, "mallory@example.com");
    const auto stored = storage::insert_provider(*conn, draft(alice, "Support"));
    CHECK(stored.id > 0);
    CHECK(stored.credentials_hint == draft(alice, "Support").credentials_hint);
    CHECK(stored.status == domain::provider_active);
    CHECK(stored.contacts_count == 0);
    CHECK(stored.sync.status.empty());
    CHECK_FALSE(stored.last_checked_at);

    const auto found = storage::find_provider(*conn, alice, stored.id);
    REQUIRE(found);
    CHECK(found->name == "Support");
    CHECK(found->type == "huggy");
    CHECK(found->enabled);
    CHECK(found->credentials_ciphertext == "sealed:Support");
    CHECK(found->settings == domain::field_values{{"company_id", "42"}, {"send_mode", "whatsapp"}});
    CHECK(found->created_at == now_ms);
    CHECK(found->last_error.empty());
    CHECK_FALSE(storage::find_provider(*conn, mallory, stored.id));
    CHECK(storage::find_provider_by_id(*conn, stored.id));

    CHECK_FALSE(storage::delete_provider(*conn, mallory, stored.id));
    CHECK(storage::find_provider(*conn, alice, stored.id));
    CHECK(storage::delete_provider(*conn, alice, stored.id));
    CHECK_FALSE(storage::find_provider(*conn, alice, stored.id));
    CHECK_FALSE(storage::find_provider_by_id(*conn, stored.id));
    CHECK_FALSE(storage::delete_provider(*conn, alice, stored.id));
  }
}

TEST_CASE("the connections list sorts by id, name or creation time and counts them all",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_user(*conn, "alice@example.com");
    const auto bob = new_user(*conn, "bob@example.com");
    const auto beta = storage::insert_provider(*conn, draft(alice, "Beta", now_ms + 2)).id;
    const auto alpha = storage::insert_provider(*conn, draft(alice, "Alpha", now_ms + 1)).id;
    const auto delta = storage::insert_provider(*conn, draft(alice, "Delta", now_ms + 2)).id;
    const auto gamma = storage::insert_provider(*conn, draft(alice, "Gamma", now_ms)).id;
    storage::insert_provider(*conn, draft(bob, "Bob's", now_ms));

    const auto by_id = storage::list_providers(*conn, alice, {"id", false}, 2, 0);
    CHECK(by_id.total == 4);
    CHECK(ids_of(by_id) == std::vector{beta, alpha});
    CHECK(ids_of(storage::list_providers(*conn, alice, {"id", false}, 2, 2)) ==
          std::vector{delta, gamma});
    const auto beyond = storage::list_providers(*conn, alice, {"id", false}, 2, 4);
    CHECK(beyond.items.empty());
    CHECK(beyond.total == 4);
    CHECK(ids_of(storage::list_providers(*conn, alice, {"id", true}, 10, 0)) ==
          std::vector{gamma, delta, alpha, beta});
    CHECK(ids_of(storage::list_providers(*conn, alice, {"name", false}, 10, 0)) ==
          std::vector{alpha, beta, delta, gamma});
    CHECK(ids_of(storage::list_providers(*conn, alice, {"name", true}, 10, 0)) ==
          std::vector{gamma, delta, beta, alpha});
    // Beta and Delta were created in the same millisecond: id breaks the tie.
    CHECK(ids_of(storage::list_providers(*conn, alice, {"created_at", false}, 10, 0)) ==
          std::vector{gamma, alpha, beta, delta});
    CHECK(ids_of(storage::list_providers(*conn, alice, {"created_at", true}, 10, 0)) ==
          std::vector{delta, beta, alpha, gamma});
    CHECK(storage::list_providers(*conn, bob, {"id", false}, 10, 0).total == 1);
    CHECK_THROWS_AS(storage::list_providers(*conn, alice, {"type; --", false}, 10, 0),
                    storage::storage_error);
  }
}

TEST_CASE("updating a connection writes what the user may change", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_user(*conn, "alice@example.com");
    const auto mallory = new_user(*conn, "mallory@example.com");
    auto record = storage::insert_provider(*conn, draft(alice, "Support"));
    record.name = "Sales";
    record.status = domain::provider_error;
    record.enabled = false;
    record.credentials_ciphertext = "sealed:new";
    record.credentials_hint = {{"api_token", "****cd34"}};
    record.settings = {{"company_id", "7"}};
    record.last_error = "401 from the provider";
    record.last_checked_at = now_ms + 5;
    CHECK(storage::update_provider(*conn, record, now_ms + 10));

    auto found = storage::find_provider(*conn, alice, record.id);
    REQUIRE(found);
    CHECK(found->name == "Sales");
    CHECK(found->status == domain::provider_error);
    CHECK_FALSE(found->enabled);
    CHECK(found->credentials_ciphertext == "sealed:new");
    CHECK(found->credentials_hint == domain::field_values{{"api_token", "****cd34"}});
    CHECK(found->settings == domain::field_values{{"company_id", "7"}});
    CHECK(found->last_error == "401 from the provider");
    CHECK(found->last_checked_at == now_ms + 5);
    CHECK(found->created_at == now_ms);
    CHECK(found->updated_at == now_ms + 10);

    record.last_error.clear();
    record.settings.clear();
    CHECK(storage::update_provider(*conn, record, now_ms + 20));
    found = storage::find_provider(*conn, alice, record.id);
    REQUIRE(found);
    CHECK(found->last_error.empty());
    CHECK(found->settings.empty());
    CHECK(conn->execute("SELECT last_error FROM providers WHERE id = $1", {record.id})
              .rows.at(0)
              .at(0) == storage::value{});

    auto stolen = record;
    stolen.user_id = mallory;
    stolen.name = "Mine";
    CHECK_FALSE(storage::update_provider(*conn, stolen, now_ms + 30));
    REQUIRE(storage::delete_provider(*conn, alice, record.id));
    CHECK_FALSE(storage::update_provider(*conn, record, now_ms + 40));
  }
}

TEST_CASE("a check records its outcome, and a disabled connection stays inactive", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_user(*conn, "alice@example.com");
    auto record = storage::insert_provider(*conn, draft(alice, "Support"));

    CHECK(storage::record_provider_check(*conn, record.id, domain::provider_error, "timeout",
                                         now_ms + 1));
    auto found = storage::find_provider_by_id(*conn, record.id);
    REQUIRE(found);
    CHECK(found->status == domain::provider_error);
    CHECK(found->last_error == "timeout");
    CHECK(found->last_checked_at == now_ms + 1);

    CHECK(
        storage::record_provider_check(*conn, record.id, domain::provider_active, "", now_ms + 2));
    found = storage::find_provider_by_id(*conn, record.id);
    REQUIRE(found);
    CHECK(found->status == domain::provider_active);
    CHECK(found->last_error.empty());

    record.enabled = false;
    record.status = domain::provider_inactive;
    REQUIRE(storage::update_provider(*conn, record, now_ms + 3));
    CHECK(
        storage::record_provider_check(*conn, record.id, domain::provider_active, "", now_ms + 4));
    found = storage::find_provider_by_id(*conn, record.id);
    REQUIRE(found);
    CHECK(found->status == domain::provider_inactive);
    CHECK(found->last_checked_at == now_ms + 4);
    CHECK_FALSE(storage::record_provider_check(*conn, record.id + 1000, domain::provider_active, "",
                                               now_ms + 5));
  }
}

TEST_CASE("credentials are stored sealed and can be re-sealed for key rotation", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_user(*conn, "alice@example.com");
    const auto first = storage::insert_provider(*conn, draft(alice, "One")).id;
    const auto second = storage::insert_provider(*conn, draft(alice, "Two")).id;

    CHECK(storage::store_provider_credentials(*conn, first, "sealed:refreshed",
                                              {{"access_token", "****wxyz"}}, now_ms + 1));
    CHECK_FALSE(storage::store_provider_credentials(*conn, second + 1000, "x", {}, now_ms + 1));
    const auto all = storage::list_sealed_credentials(*conn);
    REQUIRE(all.size() == 2);
    CHECK(all[0].provider_id == first);
    CHECK(all[0].ciphertext == "sealed:refreshed");
    CHECK(all[1].provider_id == second);
    CHECK(all[1].ciphertext == "sealed:Two");

    storage::replace_sealed_credentials(*conn, first, "sealed:rotated");
    const auto found = storage::find_provider(*conn, alice, first);
    REQUIRE(found);
    CHECK(found->credentials_ciphertext == "sealed:rotated");
    CHECK(found->credentials_hint == domain::field_values{{"access_token", "****wxyz"}});
    CHECK(found->updated_at == now_ms + 1);  // rotation changes nothing the user sees
  }
}
