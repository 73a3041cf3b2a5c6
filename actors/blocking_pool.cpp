#include "actors/blocking_pool.hpp"

#include "actors/errc.hpp"
#include "actors/idle_dispatcher.hpp"

#include <caf/all.hpp>

namespace schedulerd::actors {

namespace {

caf::behavior blocking_worker(caf::event_based_actor* self, const caf::actor& dispatcher) {
  return {
      [self, dispatcher](run_atom, blocking_work& work) -> caf::result<caf::message> {
        caf::result<caf::message> outcome = make_error(errc::internal);
        try {
          outcome = work.run();
        } catch (const std::exception&) {
          // An exception escaping a handler would kill the worker; the caller gets `internal`.
        }
        self->send(dispatcher, ready_atom::value);
        return outcome;
      },
  };
}

caf::behavior blocking_dispatcher(caf::stateful_actor<idle_dispatcher_state<blocking_work>>* self,
                                  int size) {
  for (int i = 0; i < std::max(1, size); ++i) {
    auto worker = self->spawn<caf::detached + caf::linked>(blocking_worker, caf::actor{self});
    self->state.workers.push_back(worker);
    self->state.idle.push_back(worker);
  }
  return caf::behavior{idle_dispatcher(self)};
}

}  // namespace

caf::actor spawn_blocking_pool(caf::actor_system& system, int size) {
  return system.spawn(blocking_dispatcher, size);
}

}  // namespace schedulerd::actors
