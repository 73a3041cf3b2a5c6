#include "actors/db_pool.hpp"

#include "actors/errc.hpp"
#include "actors/idle_dispatcher.hpp"
#include "actors/thread_name.hpp"

#include <caf/all.hpp>

namespace schedulerd::actors {

namespace {

struct worker_state {
  std::string database_url;
  std::shared_ptr<log::logger> logger;
  std::unique_ptr<storage::connection> db;
  caf::actor_addr dispatcher;
};

using worker_self = caf::stateful_actor<worker_state>;

// Runs one unit of work, reconnecting first when the previous connection was lost.
caf::result<caf::message> run_work(worker_self* self, db_work& work) {
  auto& state = self->state;
  try {
    if (!state.db) {
      state.db = storage::open_connection(state.database_url);
    }
    return work(*state.db);
  } catch (const storage::storage_error& ex) {
    switch (ex.kind()) {
      case storage::failure::connection_lost:
        state.db.reset();
        state.logger->warn("database_unavailable", {{"reason", std::string_view{ex.what()}}});
        // The other workers' connections died with the server too: have them reconnect.
        self->send(caf::actor_cast<caf::actor>(state.dispatcher), reset_atom::value);
        return make_error(errc::unavailable, "The database is unavailable.");
      case storage::failure::unique_violation:
        return make_error(errc::conflict);
      case storage::failure::other:
        break;
    }
    state.logger->error("database_error", {{"reason", std::string_view{ex.what()}}});
  } catch (const std::exception& ex) {
    state.logger->error("database_work_failed", {{"reason", std::string_view{ex.what()}}});
  }
  return make_error(errc::internal);
}

caf::behavior db_worker(worker_self* self, std::string database_url,
                        std::shared_ptr<log::logger> logger, const caf::actor& dispatcher,
                        const std::string& pool) {
  name_this_thread(pool);  // a detached actor builds its behavior on its own thread
  self->state.database_url = std::move(database_url);
  self->state.logger = std::move(logger);
  self->state.dispatcher = dispatcher.address();
  // A worker lives exactly as long as its pool.
  self->monitor(dispatcher);
  self->set_down_handler([self](caf::down_msg& down) { self->quit(down.reason); });
  return {
      [self](run_atom, db_work& work) { return box_reply(run_work(self, work)); },
      [self](reset_atom) { self->state.db.reset(); },
  };
}

// A ping the server did not answer counts as a lost connection (the worker reconnects).
caf::expected<bool> ping(storage::connection& db) {
  if (!db.ping()) {
    throw storage::storage_error(storage::failure::connection_lost, "ping failed");
  }
  return true;
}

using dispatcher_state = idle_dispatcher_state<db_work>;

caf::behavior db_dispatcher(caf::stateful_actor<dispatcher_state>* self,
                            const db_pool_settings& settings,
                            const std::shared_ptr<log::logger>& logger,
                            const pool_options& options) {
  auto size = settings.database_url == "sqlite::memory:" ? 1 : std::max(1, settings.size);
  auto spawn = [self, url = settings.database_url, logger, pool = options.name] {
    return self->spawn<caf::detached>(db_worker, url, logger, caf::actor_cast<caf::actor>(self),
                                      pool);
  };
  return caf::behavior{idle_dispatcher(self, spawn, options, static_cast<std::size_t>(size))
                           .or_else(
                               [self](ping_atom) {
                                 // Runs as ordinary work, so the answer says a worker can reach
                                 // the database now.
                                 return self->delegate(caf::actor_cast<caf::actor>(self),
                                                       run_atom::value, make_db_work(ping));
                               },
                               [self](reset_atom) {
                                 auto sender = self->current_sender();
                                 for (const auto& worker : self->state.workers) {
                                   if (worker.address() != sender) {
                                     self->send(worker, reset_atom::value);
                                   }
                                 }
                               })};
}

}  // namespace

caf::actor spawn_db_pool(caf::actor_system& system, const db_pool_settings& settings,
                         std::shared_ptr<log::logger> logger, pool_options options) {
  return system.spawn(db_dispatcher, settings, std::move(logger), std::move(options));
}

}  // namespace schedulerd::actors
