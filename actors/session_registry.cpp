#include "actors/session_registry.hpp"

#include <caf/all.hpp>

#include <unordered_map>

namespace schedulerd::actors {

namespace {

// The reply of a unit of work, boxed so the session can await it whatever its type.
struct boxed_reply {
  caf::message content;
};

}  // namespace

}  // namespace schedulerd::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::boxed_reply)

namespace schedulerd::actors {

namespace {

caf::behavior user_session(caf::event_based_actor* self, const caf::actor& db_pool,
                           std::chrono::milliseconds idle_timeout) {
  return {
      [self, db_pool](run_atom, db_work& work) {
        auto promise = self->make_response_promise();
        db_work boxed =
            [work = std::move(work)](storage::connection& db) -> caf::result<caf::message> {
          auto outcome = work(db);
          if (outcome.flag == caf::rt_error) {
            return std::move(outcome.err);
          }
          return caf::make_message(boxed_reply{std::move(outcome.value)});
        };
        // `await` holds back the user's next request until this one is done: that is the
        // serialisation the session exists for.
        // cppcheck-suppress accessMoved ; false positive: the chained .then() is no later use
        self->request(db_pool, db_timeout, run_atom::value, std::move(boxed))
            .await([promise](boxed_reply& reply) mutable { promise.deliver(reply.content); },
                   [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      caf::after(idle_timeout) >> [self] { self->quit(); },
  };
}

struct registry_state {
  caf::actor db_pool;
  std::chrono::milliseconds idle_timeout{0};
  std::unordered_map<std::int64_t, caf::actor> sessions;
};

session_registry_actor::behavior_type session_registry(
    session_registry_actor::stateful_pointer<registry_state> self, caf::actor db_pool,
    std::chrono::milliseconds idle_timeout) {
  self->state.db_pool = std::move(db_pool);
  self->state.idle_timeout = idle_timeout;
  self->set_down_handler([self](caf::down_msg& down) {
    auto& sessions = self->state.sessions;
    for (auto it = sessions.begin(); it != sessions.end(); ++it) {
      if (it->second.address() == down.source) {
        sessions.erase(it);
        return;
      }
    }
  });
  // Sessions are linked so they stop with the registry. A session's own exit (idle or crash)
  // must not take the registry down: only an exit request from outside does. CAF 0.17's
  // anon_send_exit names the target itself as the source, so that counts as outside too.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (!msg.source || msg.source == self->address()) {
      self->quit(msg.reason);
    }
  });
  return introspected<session_registry_actor::behavior_type>(
      self,
      [self](get_atom, std::int64_t user_id) {
        auto& sessions = self->state.sessions;
        auto found = sessions.find(user_id);
        if (found != sessions.end()) {
          return found->second;
        }
        auto session = self->spawn<caf::monitored + caf::linked>(user_session, self->state.db_pool,
                                                                 self->state.idle_timeout);
        sessions.emplace(user_id, session);
        return session;
      },
      [self](get_atom) { return static_cast<std::int64_t>(self->state.sessions.size()); });
}

}  // namespace

session_registry_actor spawn_session_registry(caf::actor_system& system, caf::actor db_pool,
                                              std::chrono::milliseconds idle_timeout) {
  return system.spawn(session_registry, std::move(db_pool), idle_timeout);
}

}  // namespace schedulerd::actors
