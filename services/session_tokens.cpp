#include "services/session_tokens.hpp"

#include "domain/secrets.hpp"
#include "storage/token_store.hpp"

namespace schedulerd::services {

domain::session_grant issue_session_token(storage::connection& db, domain::user_record user,
                                          std::int64_t now_ms, const session_policy& policy) {
  auto token = domain::generate_api_token();
  storage::insert_token(db, user.id, "session", domain::sha256_hex(token), "session", now_ms,
                        now_ms + policy.ttl.count());
  storage::revoke_sessions_beyond(db, user.id, policy.keep, now_ms);
  return domain::session_grant{std::move(user), std::move(token)};
}

}  // namespace schedulerd::services
