#pragma once

#include "actors/pool_options.hpp"
#include "actors/type_ids.hpp"
#include "domain/request_timeouts.hpp"
#include "log/logger.hpp"
#include "storage/connection.hpp"

#include <caf/actor.hpp>
#include <caf/duration.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <caf/make_message.hpp>
#include <caf/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace schedulerd::actors {

/// A unit of work run on one pooled connection; the message it returns is the reply.
using db_work = std::function<caf::result<caf::message>(storage::connection&)>;

}  // namespace schedulerd::actors

// Work items carry closures: they never leave the process, so they need no serialisation.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::db_work)

namespace schedulerd::actors {

/// Settings of the pooled database actor.
struct db_pool_settings {
  std::string database_url;
  /// Worker count, each owning one connection (forced to 1 for `sqlite::memory:`).
  int size = 4;
};

/// Spawns the pool: a dispatcher in front of detached workers, each owning one connection, so
/// blocking database calls never run on CAF's cooperative threads. Accepts `(run_atom, db_work)`,
/// `(ping_atom)` (answers true once a worker reached the database, else an error) and
/// `(get_atom, mailbox_atom)`; replaces a worker that dies (see idle_dispatcher.hpp).
caf::actor spawn_db_pool(caf::actor_system& system, const db_pool_settings& settings,
                         std::shared_ptr<log::logger> logger, pool_options options = {});

/// Wraps `fn(storage::connection&) -> caf::expected<T>` into a unit of pool work.
template <class F>
db_work make_db_work(F fn) {
  return [fn = std::move(fn)](storage::connection& db) -> caf::result<caf::message> {
    auto outcome = fn(db);
    if (!outcome) {
      return std::move(outcome.error());
    }
    return caf::make_message(std::move(*outcome));
  };
}

/// Default time a caller waits for the database (nested inside the edge's, see request_timeouts).
constexpr std::chrono::milliseconds db_timeout = domain::db_timeout;

/// Runs `fn` on a pooled connection from `self`; chain `.then(on_value, on_error)` on the result.
template <class Self, class F>
auto query(Self* self, const caf::actor& pool, F fn,
           std::chrono::milliseconds timeout = db_timeout) {
  return self->request(pool, timeout, run_atom::value, make_db_work(std::move(fn)));
}

/// Like `query`, but the work goes ahead of every queued one: lease renewals, which must not wait
/// behind the outcome stores whose claims they keep alive.
template <class Self, class F>
auto urgent_query(Self* self, const caf::actor& pool, F fn,
                  std::chrono::milliseconds timeout = db_timeout) {
  // A caf::duration: CAF 0.17's std::chrono overload of `request` drops the priority.
  return self->template request<caf::message_priority::high>(
      pool, caf::duration{timeout}, run_atom::value, make_db_work(std::move(fn)));
}

}  // namespace schedulerd::actors
