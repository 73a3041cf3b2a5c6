#include "actors/authenticator.hpp"

#include "actors/db_pool.hpp"
#include "actors/errc.hpp"
#include "domain/secrets.hpp"
#include "storage/token_store.hpp"
#include "storage/user_store.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/test_databases.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <mutex>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;
using testing::hour_ms;
constexpr auto start_ms = testing::now_ms;

namespace {

// What one authentication answered: the user, or 0 when the token was refused as unknown.
struct answer {
  std::int64_t user_id = -1;
  std::string failure;
};

// Authenticates every token of `tokens` at once, from one actor, so that the requests reach the
// authenticator together; answers in the order of `tokens`.
std::vector<answer> authenticate_all(caf::actor_system& system,
                                     const actors::authenticator_actor& authenticator,
                                     const std::vector<std::string>& tokens) {
  std::mutex guard;
  std::vector<answer> answers(tokens.size());
  std::size_t done = 0;
  system.spawn([&, authenticator](caf::event_based_actor* self) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      self->request(authenticator, 10s, authenticate_atom::value, tokens[i])
          .then(
              [&, i](actors::principal& who) {
                const std::lock_guard<std::mutex> lock{guard};
                answers[i].user_id = who.user_id;
                ++done;
              },
              [&, i](caf::error& err) {
                const std::lock_guard<std::mutex> lock{guard};
                answers[i].user_id = describe(err).code == errc::unauthenticated ? 0 : -1;
                answers[i].failure = system.render(err);
                ++done;
              });
    }
  });
  REQUIRE(testing::eventually([&] {
    const std::lock_guard<std::mutex> lock{guard};
    return done == tokens.size();
  }));
  const std::lock_guard<std::mutex> lock{guard};
  return answers;
}

}  // namespace

TEST_CASE("requests that wait for one token lookup each get their own caller",
          "[actors][authenticator]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", start_ms).id;
    const auto bob = storage::insert_user(*conn, "Bob", "bob@example.com", "", start_ms).id;
    const auto hashed = [&](std::int64_t user, const std::string& secret,
                            std::optional<std::int64_t> expires_at) {
      return storage::insert_token(*conn, user, secret, domain::sha256_hex(secret), "personal",
                                   start_ms, expires_at);
    };
    hashed(alice, "alice-secret", std::nullopt);
    hashed(bob, "bob-secret", start_ms + hour_ms);
    const auto revoked = hashed(alice, "revoked-secret", std::nullopt);
    REQUIRE(storage::revoke_token(*conn, alice, revoked.id, start_ms));
    hashed(bob, "expired-secret", start_ms - 1);

    caf::actor_system_config config;
    register_errc_category(config);
    caf::actor_system system{config};
    auto logger = std::make_shared<log::logger>(log::level::error, log::format::json);
    auto pool = actors::spawn_db_pool(system, actors::db_pool_settings{db.url(), 2}, logger);
    auto authenticator = actors::spawn_authenticator(
        system, pool, [] { return start_ms; }, std::chrono::hours{1}, logger);

    const std::vector<std::string> kinds{"alice-secret", "bob-secret", "revoked-secret",
                                         "unknown-secret", "expired-secret"};
    const std::vector<std::int64_t> expected{alice, bob, 0, 0, 0};
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < 150; ++i) tokens.push_back(kinds[(i * 7) % kinds.size()]);
    const auto answers = authenticate_all(system, authenticator, tokens);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      INFO("request " << i << " with " << tokens[i] << ": " << answers[i].failure);
      CHECK(answers[i].user_id == expected[(i * 7) % kinds.size()]);
    }
    caf::anon_send_exit(authenticator, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }
}
