#include "actors/front.hpp"

#include "actors/errc.hpp"
#include "actors/type_ids.hpp"

#include <caf/all.hpp>

#include <deque>

namespace schedulerd::actors {

namespace {

struct front_state {
  caf::actor target;
  caf::actor_addr supervisor;
  /// True while the supervisor is starting a new incarnation: queue instead of failing.
  bool restarting = false;
  std::size_t queue_limit = 0;
  std::deque<std::pair<caf::response_promise, caf::message>> queued;
};

using front_self = caf::stateful_actor<front_state>;

void answer_unavailable(caf::response_promise& promise) {
  if (!promise.async()) {
    promise.deliver(make_error(errc::unavailable, "The service is restarting; try again."));
  }
}

void retarget(front_self* self, caf::actor target, bool restarting) {
  auto& state = self->state;
  state.target = std::move(target);
  state.restarting = restarting;
  if (state.target) {
    // The front notices a death before the supervisor does and queues from then on.
    self->monitor(state.target);
  }
  while ((state.target || !restarting) && !state.queued.empty()) {
    auto [promise, content] = std::move(state.queued.front());
    state.queued.pop_front();
    if (state.target) {
      promise.delegate(state.target, std::move(content));
    } else {
      answer_unavailable(promise);
    }
  }
}

caf::result<caf::message> forward(front_self* self, caf::message_view& view) {
  auto& state = self->state;
  if (state.target) {
    return self->delegate(state.target, view.move_content_to_message());
  }
  auto promise = self->make_response_promise();
  if (state.restarting && state.queued.size() < state.queue_limit) {
    state.queued.emplace_back(promise, view.move_content_to_message());
  } else {
    answer_unavailable(promise);
  }
  return promise;
}

caf::behavior front(front_self* self, const caf::actor& supervisor, caf::actor target,
                    std::size_t queue_limit) {
  self->state.supervisor = supervisor.address();
  self->state.queue_limit = queue_limit;
  self->monitor(supervisor);
  retarget(self, std::move(target), false);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& state = self->state;
    if (down.source == state.supervisor) {
      // A supervisor that was killed never stopped its children: do it for it. anon_send_exit
      // names the child itself as the source, which actors that trap exits accept as a stop.
      if (state.target) {
        caf::anon_send_exit(state.target, caf::exit_reason::user_shutdown);
      }
      retarget(self, nullptr, false);
      self->quit(down.reason);
    } else if (state.target && down.source == state.target.address()) {
      retarget(self, nullptr, true);
    }
  });
  self->set_default_handler(
      [self](caf::scheduled_actor*, caf::message_view& view) { return forward(self, view); });
  return {
      [self](target_atom, caf::actor& next, bool restarting) {
        if (caf::actor_cast<caf::actor_addr>(self->current_sender()) == self->state.supervisor) {
          retarget(self, std::move(next), restarting);
        }
      },
  };
}

}  // namespace

caf::actor spawn_front(caf::actor_system& system, const caf::actor& supervisor,
                       const caf::actor& target, std::size_t queue_limit) {
  return system.spawn(front, supervisor, target, queue_limit);
}

}  // namespace schedulerd::actors
