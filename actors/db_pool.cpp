#include "actors/db_pool.hpp"

#include "actors/errc.hpp"
#include "actors/idle_dispatcher.hpp"

#include <caf/all.hpp>

namespace schedulerd::actors {

namespace {

struct worker_state {
  std::string database_url;
  std::shared_ptr<log::logger> logger;
  std::unique_ptr<storage::connection> db;
  caf::actor dispatcher;
};

// Runs one unit of work, reconnecting first when the previous connection was lost.
caf::result<caf::message> run_work(caf::stateful_actor<worker_state>* self, db_work& work) {
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
        self->send(state.dispatcher, reset_atom::value);
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

caf::behavior db_worker(caf::stateful_actor<worker_state>* self, std::string database_url,
                        std::shared_ptr<log::logger> logger, caf::actor dispatcher) {
  self->state.database_url = std::move(database_url);
  self->state.logger = std::move(logger);
  self->state.dispatcher = std::move(dispatcher);
  return {
      [self](run_atom, db_work& work) -> caf::result<caf::message> {
        auto outcome = run_work(self, work);
        self->send(self->state.dispatcher, ready_atom::value);
        return outcome;
      },
      [self](reset_atom) { self->state.db.reset(); },
  };
}

using dispatcher_state = idle_dispatcher_state<db_work>;

caf::behavior db_dispatcher(caf::stateful_actor<dispatcher_state>* self, db_pool_settings settings,
                            std::shared_ptr<log::logger> logger) {
  auto size = settings.database_url == "sqlite::memory:" ? 1 : std::max(1, settings.size);
  for (int i = 0; i < size; ++i) {
    auto worker = self->spawn<caf::detached + caf::linked>(db_worker, settings.database_url, logger,
                                                           caf::actor{self});
    self->state.workers.push_back(worker);
    self->state.idle.push_back(worker);
  }
  return caf::behavior{idle_dispatcher(self).or_else([self](reset_atom) {
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
                         std::shared_ptr<log::logger> logger) {
  return system.spawn(db_dispatcher, settings, std::move(logger));
}

}  // namespace schedulerd::actors
