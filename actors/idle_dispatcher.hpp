#pragma once

#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "actors/pool_options.hpp"
#include "actors/type_ids.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message_handler.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace schedulerd::actors {

/// A worker's answer, boxed so the dispatcher can pass on a reply of any type.
struct pool_reply {
  caf::message content;
};

/// Boxes what a unit of work returned, for a worker's `(run_atom, Work)` handler.
inline caf::result<pool_reply> box_reply(caf::result<caf::message> outcome) {
  if (outcome.flag == caf::rt_value) {
    return pool_reply{std::move(outcome.value)};
  }
  if (outcome.flag == caf::rt_error) {
    return std::move(outcome.err);
  }
  return make_error(errc::internal);
}

}  // namespace schedulerd::actors

// A worker's reply never leaves the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::pool_reply)

namespace schedulerd::actors {

/// State of a dispatcher that hands `(run_atom, Work)` to whichever worker is idle.
template <class Work>
struct idle_dispatcher_state {
  /// Spawns one worker (detached) answering `(run_atom, Work) -> pool_reply`.
  std::function<caf::actor()> spawn;
  pool_options options;
  restart_window replacements;
  /// The current worker of each slot.
  std::vector<caf::actor> workers;
  std::vector<std::int64_t> restarts;
  std::vector<caf::actor> idle;
  /// The unit each busy worker runs (kept to run it elsewhere if it never started) and its caller.
  std::map<caf::actor_addr, std::pair<Work, caf::response_promise>> busy;
  std::deque<std::pair<Work, caf::response_promise>> queue;
};

template <class Work>
using dispatcher_self = caf::stateful_actor<idle_dispatcher_state<Work>>;

template <class Work>
void start_worker(dispatcher_self<Work>* self, std::size_t slot) {
  auto& state = self->state;
  auto worker = state.spawn();
  self->monitor(worker);
  state.workers[slot] = worker;
  state.idle.push_back(worker);
  register_actor(state.options.directory,
                 actor_registration{state.options.name + ".worker." + std::to_string(slot),
                                    "worker", state.restarts[slot], worker, false});
}

template <class Work>
void dispatch(dispatcher_self<Work>* self, const caf::actor& worker, Work work,
              caf::response_promise promise);

// Gives queued work to idle workers until either runs out.
template <class Work>
void drain_queue(dispatcher_self<Work>* self) {
  auto& state = self->state;
  while (!state.idle.empty() && !state.queue.empty()) {
    auto worker = state.idle.back();
    state.idle.pop_back();
    auto [work, promise] = std::move(state.queue.front());
    state.queue.pop_front();
    dispatch(self, worker, std::move(work), std::move(promise));
  }
}

// A work unit that was still in a worker's mailbox when it died bounces with the exit reason (or
// `request_receiver_down`): it never ran, so it is safe to run on another worker.
inline bool never_ran(const caf::error& err) {
  return err == caf::sec::request_receiver_down ||
         err.category() == caf::make_error(caf::exit_reason::kill).category();
}

template <class Work>
void finished(dispatcher_self<Work>* self, const caf::actor& worker, const caf::error* failure,
              caf::message reply) {
  auto& state = self->state;
  auto found = state.busy.find(worker.address());
  if (found == state.busy.end()) {
    return;  // the pool gave up on its workers and already answered every caller
  }
  auto [work, promise] = std::move(found->second);
  state.busy.erase(found);
  if (failure != nullptr && never_ran(*failure)) {
    state.queue.emplace_front(std::move(work), std::move(promise));
  } else {
    if (failure != nullptr) {
      promise.deliver(*failure);
    } else {
      promise.deliver(std::move(reply));
    }
    if (std::find(state.workers.begin(), state.workers.end(), worker) != state.workers.end()) {
      state.idle.push_back(worker);
    }
  }
  drain_queue(self);
}

template <class Work>
void dispatch(dispatcher_self<Work>* self, const caf::actor& worker, Work work,
              caf::response_promise promise) {
  self->state.busy.emplace(worker.address(), std::make_pair(work, std::move(promise)));
  // No timeout here: the caller's own request carries one.
  // cppcheck-suppress accessMoved ; false positive: the chained .then() is no later use
  self->request(worker, caf::infinite, run_atom::value, std::move(work))
      .then([self, worker](pool_reply& reply) { finished(self, worker, nullptr, reply.content); },
            [self, worker](caf::error& err) { finished(self, worker, &err, {}); });
}

/// Replaces a dead worker; gives up (stopping the pool with an error) when workers die too often.
template <class Work>
void replace_worker(dispatcher_self<Work>* self, const caf::down_msg& down) {
  auto& state = self->state;
  auto slot = std::find_if(state.workers.begin(), state.workers.end(),
                           [&](const caf::actor& w) { return w.address() == down.source; });
  if (slot == state.workers.end()) {
    return;
  }
  auto gone = std::find(state.idle.begin(), state.idle.end(), *slot);
  if (gone != state.idle.end()) {
    state.idle.erase(gone);
  }
  // Work it was running is not answered here: CAF answers every request to a dead actor (the
  // exception's error, or a bounce for work it never started), and `finished` handles that.
  if (!state.replacements.admit(std::chrono::steady_clock::now())) {
    auto reason = make_error(errc::unavailable, state.options.name + ": workers keep dying");
    for (auto& [work, promise] : state.queue) {
      promise.deliver(reason);
    }
    for (auto& [address, running] : state.busy) {
      running.second.deliver(reason);
    }
    self->quit(reason);
    return;
  }
  auto index = static_cast<std::size_t>(slot - state.workers.begin());
  ++state.restarts[index];
  start_worker(self, index);
  drain_queue(self);
}

/// Starts `size` workers and answers `(run_atom, Work)` by queueing it until a worker is idle.
/// Workers are monitored, never linked (a `kill` would travel over a link and end the pool too):
/// a dead worker is replaced, and its caller gets an error or its work runs elsewhere.
template <class Work>
caf::message_handler idle_dispatcher(dispatcher_self<Work>* self,
                                     const std::function<caf::actor()>& spawn,
                                     const pool_options& options, std::size_t size) {
  auto& state = self->state;
  state.replacements = restart_window{options.intensity};
  state.spawn = spawn;
  state.options = options;
  state.workers.resize(size);
  state.restarts.resize(size, 0);
  for (std::size_t slot = 0; slot < size; ++slot) {
    start_worker(self, slot);
  }
  self->set_down_handler([self](caf::down_msg& down) { replace_worker(self, down); });
  return introspected<caf::message_handler>(self, [self](run_atom, Work& work) {
    auto promise = self->make_response_promise();
    // Work sent at high priority (see `urgent_query`) overtakes the queue as it did the mailbox.
    if (self->current_mailbox_element()->mid.is_urgent_message()) {
      self->state.queue.emplace_front(std::move(work), promise);
    } else {
      self->state.queue.emplace_back(std::move(work), promise);
    }
    drain_queue(self);
    return promise;
  });
}

}  // namespace schedulerd::actors
