#include "domain/base64.hpp"
#include "domain/credential_cipher.hpp"
#include "providers/credential_codec.hpp"
#include "storage/provider_store.hpp"
#include "storage/user_store.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace schedulerd;
using namespace std::chrono_literals;

TEST_CASE("schedulerd rotate-keys re-encrypts stored credentials and says how many",
          "[e2e][crypto]") {
  const std::string old_key(32, 'o');
  const std::string new_key(32, 'n');
  auto db = testing::test_database::sqlite();
  std::int64_t provider_id = 0;
  {
    auto conn = db.connect();
    domain::provider_record record;
    record.user_id = storage::insert_user(*conn, "Ada", "ada@example.com", "", 0).id;
    record.type = "huggy";
    record.name = "Support";
    provider_id = storage::insert_provider(*conn, record).id;
    storage::store_provider_credentials(
        *conn, provider_id,
        providers::seal_credentials(domain::credential_cipher{old_key}, provider_id,
                                    {{"access_token", "token-before-rotation"}}),
        {}, 0);
  }
  const testing::environment environment{{"DATABASE_URL", db.url()},
                                         {"APP_KEY", domain::base64_encode(new_key)},
                                         {"APP_PREVIOUS_KEYS", domain::base64_encode(old_key)}};
  auto done = testing::service_process::run_to_completion(environment, {"rotate-keys"}, 20s);
  INFO("stderr:\n" << done.stderr_text);
  REQUIRE(done.exit_code == 0);
  CHECK(done.stdout_text.find("re-encrypted 1 provider credentials") != std::string::npos);
  CHECK(done.stderr_text.find("token-before-rotation") == std::string::npos);

  auto sealed = storage::list_sealed_credentials(*db.connect()).at(0).ciphertext;
  CHECK(providers::open_credentials(domain::credential_cipher{new_key}, provider_id, sealed) ==
        domain::field_values{{"access_token", "token-before-rotation"}});

  // Without the old key the value no longer opens: the command fails and changes nothing.
  auto rerun = testing::service_process::run_to_completion(
      {{"DATABASE_URL", db.url()}, {"APP_KEY", domain::base64_encode(old_key)}}, {"rotate-keys"},
      20s);
  CHECK(rerun.exit_code != 0);
  CHECK(rerun.stderr_text.find("key_rotation_failed") != std::string::npos);
  CHECK(storage::list_sealed_credentials(*db.connect()).at(0).ciphertext == sealed);
}
