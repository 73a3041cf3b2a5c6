#include "app/key_rotation.hpp"

#include "providers/credential_codec.hpp"
#include "storage/provider_store.hpp"
#include "storage/user_store.hpp"
#include "tests/support/captured_log.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

namespace app = schedulerd::app;
namespace domain = schedulerd::domain;
namespace providers = schedulerd::providers;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

const std::string old_key(32, 'o');
const std::string new_key(32, 'n');

// Stores a connection whose credentials are sealed by `cipher`; answers its id.
std::int64_t stored_connection(storage::connection& db, std::int64_t user_id,
                               const domain::credential_cipher& cipher, const std::string& token) {
  domain::provider_record record;
  record.user_id = user_id;
  record.type = "huggy";
  record.name = "Support";
  record.created_at = now_ms;
  record.updated_at = now_ms;
  auto stored = storage::insert_provider(db, record);
  storage::store_provider_credentials(
      db, stored.id, providers::seal_credentials(cipher, stored.id, {{"access_token", token}}), {},
      now_ms);
  return stored.id;
}

// A service configured with the new key, the old one kept for reading.
schedulerd::config::service_config rotated_to_new_key(const std::string& database_url) {
  schedulerd::config::service_config settings;
  settings.database_url = database_url;
  settings.app_key = new_key;
  settings.previous_app_keys = {old_key};
  return settings;
}

std::string ciphertext_of(storage::connection& db, std::int64_t provider_id) {
  for (const auto& stored : storage::list_sealed_credentials(db)) {
    if (stored.provider_id == provider_id) return stored.ciphertext;
  }
  return {};
}

}  // namespace

TEST_CASE("rotate-keys seals every credential under the new key and keeps them readable",
          "[app][crypto][storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto user_id = storage::insert_user(*conn, "Ada", "ada@example.com", "", now_ms).id;
    const domain::credential_cipher before{old_key};
    const auto first = stored_connection(*conn, user_id, before, "token-one-0001");
    const auto second = stored_connection(*conn, user_id, before, "token-two-0002");
    const auto current =
        stored_connection(*conn, user_id, domain::credential_cipher{new_key}, "token-new-0003");

    const auto settings = rotated_to_new_key(db.url());
    testing::captured_log log;
    const auto report = app::rotate_keys(settings, *log.logger());
    CHECK(report.resealed == 2);
    CHECK(report.current == 1);

    // The new key alone now opens every one of them, with the same content.
    const domain::credential_cipher after{new_key};
    CHECK(providers::open_credentials(after, first, ciphertext_of(*conn, first)) ==
          domain::field_values{{"access_token", "token-one-0001"}});
    CHECK(providers::open_credentials(after, second, ciphertext_of(*conn, second)) ==
          domain::field_values{{"access_token", "token-two-0002"}});
    CHECK(providers::open_credentials(after, current, ciphertext_of(*conn, current)) ==
          domain::field_values{{"access_token", "token-new-0003"}});
    // No secret reached the log.
    CHECK(log.text().find("token-") == std::string::npos);
    // A second run finds nothing left to do.
    CHECK(app::rotate_keys(settings, *log.logger()).resealed == 0);
  }
}

TEST_CASE("rotate-keys changes nothing when one credential does not open",
          "[app][crypto][storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto user_id = storage::insert_user(*conn, "Ada", "ada@example.com", "", now_ms).id;
    const domain::credential_cipher before{old_key};
    const auto good = stored_connection(*conn, user_id, before, "token-good-0001");
    const auto damaged = stored_connection(*conn, user_id, before, "token-bad-00002");
    auto tampered = ciphertext_of(*conn, damaged);
    tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
    storage::replace_sealed_credentials(*conn, damaged, tampered);
    const auto good_before = ciphertext_of(*conn, good);

    const auto settings = rotated_to_new_key(db.url());
    testing::captured_log log;
    CHECK_THROWS_WITH(app::rotate_keys(settings, *log.logger()),
                      Catch::Contains("provider connection " + std::to_string(damaged)));
    // The transaction rolled back: the good row is still sealed as it was.
    CHECK(ciphertext_of(*conn, good) == good_before);
  }
}
