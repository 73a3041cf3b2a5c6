#include "services/tokens.hpp"

#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "domain/secrets.hpp"
#include "services/promises.hpp"
#include "storage/token_store.hpp"

#include <caf/all.hpp>

namespace schedulerd::services {

namespace {

using tokens_self = tokens_actor::stateful_pointer<service_context>;

caf::result<domain::page<domain::token_record>> list_tokens(tokens_self self, std::int64_t user_id,
                                                            const domain::list_query& query) {
  return reply_from_pool(self, self->state.db_pool,
                         [user_id, limit = query.per_page, offset = query.offset(),
                          oldest_first = !query.sort.descending](storage::connection& db) {
                           return caf::expected<domain::page<domain::token_record>>{
                               storage::list_tokens(db, user_id, limit, offset, oldest_first)};
                         });
}

caf::result<domain::issued_token> create_token(tokens_self self, std::int64_t user_id,
                                               domain::token_request& request) {
  auto now = self->state.now();
  if (auto problems = domain::validate_token_request(request.name, request.expires_at, now);
      !problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  return reply_from_session(
      self, self->state.sessions, user_id,
      [user_id, name = domain::normalize_name(request.name), expires_at = request.expires_at, now,
       cap = self->state.limits.live_tokens](
          storage::connection& db) -> caf::expected<domain::issued_token> {
        // The session runs this user's writes one at a time, so the count cannot go stale here.
        if (storage::count_live_tokens(db, user_id, "personal", now) >= cap) {
          return make_error(errc::invalid_input,
                            "You have " + std::to_string(cap) +
                                " live personal tokens, the most allowed; revoke one first.");
        }
        auto secret = domain::generate_api_token();
        auto record = storage::insert_token(db, user_id, name, domain::sha256_hex(secret),
                                            "personal", now, expires_at);
        return domain::issued_token{std::move(record), std::move(secret)};
      });
}

caf::result<bool> revoke_token(tokens_self self, std::int64_t user_id, std::int64_t token_id) {
  return reply_from_session(self, self->state.sessions, user_id,
                            [user_id, token_id, now = self->state.now()](storage::connection& db) {
                              if (!storage::revoke_token(db, user_id, token_id, now)) {
                                return caf::expected<bool>{make_error(errc::not_found)};
                              }
                              return caf::expected<bool>{true};
                            });
}

tokens_actor::behavior_type tokens(tokens_self self, service_context context) {
  self->state = std::move(context);
  return actors::introspected<tokens_actor::behavior_type>(
      self,
      [self](list_atom, std::int64_t user_id, const domain::list_query& query) {
        return list_tokens(self, user_id, query);
      },
      [self](create_atom, std::int64_t user_id, domain::token_request& request) {
        return create_token(self, user_id, request);
      },
      [self](revoke_atom, std::int64_t user_id, std::int64_t token_id) {
        return revoke_token(self, user_id, token_id);
      });
}

}  // namespace

tokens_actor spawn_tokens(caf::actor_system& system, service_context context) {
  return system.spawn(tokens, std::move(context));
}

}  // namespace schedulerd::services
