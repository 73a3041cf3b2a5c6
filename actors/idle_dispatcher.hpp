#pragma once

#include "actors/type_ids.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/message_handler.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <deque>
#include <vector>

namespace schedulerd::actors {

/// State of a dispatcher that hands `(run_atom, Work)` to whichever worker is idle.
template <class Work>
struct idle_dispatcher_state {
  std::vector<caf::actor> workers;
  std::vector<caf::actor> idle;
  std::deque<std::pair<Work, caf::response_promise>> queue;
};

/// The dispatcher's behaviour: queue work until a worker reports `ready_atom`, then delegate it so
/// the worker answers the original requester directly. Workers must send `ready_atom` when done.
template <class Work>
caf::message_handler idle_dispatcher(caf::stateful_actor<idle_dispatcher_state<Work>>* self) {
  return {
      [self](run_atom, Work& work) {
        auto promise = self->make_response_promise();
        auto& state = self->state;
        if (state.idle.empty()) {
          state.queue.emplace_back(std::move(work), promise);
          return;
        }
        auto worker = state.idle.back();
        state.idle.pop_back();
        promise.delegate(worker, run_atom::value, std::move(work));
      },
      [self](ready_atom) {
        auto& state = self->state;
        auto worker = caf::actor_cast<caf::actor>(self->current_sender());
        if (state.queue.empty()) {
          state.idle.push_back(worker);
          return;
        }
        auto [work, promise] = std::move(state.queue.front());
        state.queue.pop_front();
        promise.delegate(worker, run_atom::value, std::move(work));
      },
  };
}

}  // namespace schedulerd::actors
