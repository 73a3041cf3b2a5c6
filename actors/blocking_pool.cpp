#include "actors/blocking_pool.hpp"

#include "actors/errc.hpp"
#include "actors/idle_dispatcher.hpp"
#include "actors/thread_name.hpp"

#include <caf/all.hpp>

namespace schedulerd::actors {

namespace {

caf::behavior blocking_worker(caf::event_based_actor* self, const caf::actor& dispatcher,
                              const std::shared_ptr<log::logger>& logger, const std::string& pool) {
  name_this_thread(pool);  // a detached actor builds its behavior on its own thread
  // A worker lives exactly as long as its pool.
  self->monitor(dispatcher);
  self->set_down_handler([self](caf::down_msg& down) { self->quit(down.reason); });
  return {
      [logger, pool](run_atom, blocking_work& work) {
        // An exception escaping a handler would kill the worker: the caller gets `internal`, the
        // log gets the reason.
        caf::result<caf::message> outcome = make_error(errc::internal);
        try {
          outcome = work.run();
        } catch (const std::exception& ex) {
          logger->error("blocking_work_failed", {{"pool", std::string_view{pool}},
                                                 {"reason", std::string_view{ex.what()}}});
        } catch (...) {
          logger->error("blocking_work_failed",
                        {{"pool", std::string_view{pool}},
                         {"reason", std::string_view{"not a std::exception"}}});
        }
        return box_reply(std::move(outcome));
      },
  };
}

caf::behavior blocking_dispatcher(caf::stateful_actor<idle_dispatcher_state<blocking_work>>* self,
                                  int size, const std::shared_ptr<log::logger>& logger,
                                  const pool_options& options) {
  auto spawn = [self, logger, pool = options.name] {
    return self->spawn<caf::detached>(blocking_worker, caf::actor_cast<caf::actor>(self), logger,
                                      pool);
  };
  return caf::behavior{
      idle_dispatcher(self, spawn, options, static_cast<std::size_t>(std::max(1, size)))};
}

}  // namespace

caf::actor spawn_blocking_pool(caf::actor_system& system, int size,
                               std::shared_ptr<log::logger> logger, pool_options options) {
  return system.spawn(blocking_dispatcher, size, std::move(logger), std::move(options));
}

}  // namespace schedulerd::actors
