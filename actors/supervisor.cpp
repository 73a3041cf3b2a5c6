#include "actors/supervisor.hpp"

#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "actors/front.hpp"

#include <caf/all.hpp>

#include <vector>

namespace schedulerd::actors {

namespace {

struct child {
  child_spec spec;
  /// The running incarnation; invalid while restarting or stopped.
  caf::actor current;
  /// The stable handle clients hold.
  caf::actor front;
  std::int64_t restarts = 0;
  /// This child's recent crashes: their count is the exponent of its next backoff.
  restart_window recent;
  /// Bumped on every crash, so a restart timer of an older crash does nothing.
  std::uint64_t generation = 0;
};

struct supervisor_state {
  supervisor_settings settings;
  restart_window intensity;
  std::vector<child> children;
  bool stopping = false;
  caf::error stop_reason;
};

using supervisor_self = caf::stateful_actor<supervisor_state>;

std::string full_name(const supervisor_state& state, const child& kid) {
  return state.settings.name + "." + kid.spec.name;
}

// Starts an incarnation of `kid`; an exception from the start function counts as a failed start.
caf::actor start_incarnation(supervisor_self* self, child& kid) {
  auto& state = self->state;
  caf::actor handle;
  try {
    handle = kid.spec.start(self->system());
  } catch (const std::exception& ex) {
    state.settings.logger->error("child_start_failed", {{"child", full_name(state, kid)},
                                                        {"reason", std::string_view{ex.what()}}});
  }
  if (handle) {
    self->monitor(handle);
    register_actor(state.settings.directory,
                   actor_registration{full_name(state, kid), kid.spec.kind, kid.restarts, handle,
                                      kid.spec.reports_mailbox});
  }
  return handle;
}

// Stops the last child still running and waits for its down message; quits once none is left.
void stop_next(supervisor_self* self) {
  auto& state = self->state;
  for (auto index = state.children.size(); index-- > 0;) {
    auto& kid = state.children[index];
    if (kid.current) {
      // anon_send_exit names the child itself as the source: actors that trap exits from their
      // own children (the session registry) accept exactly that as a stop request.
      caf::anon_send_exit(kid.current, caf::exit_reason::user_shutdown);
      self->delayed_send(self, state.settings.stop_timeout, timeout_atom::value,
                         std::uint64_t{index});
      return;
    }
  }
  state.settings.logger->info("supervisor_stopped", {{"supervisor", state.settings.name}});
  self->quit(state.stop_reason);
}

void begin_stop(supervisor_self* self, caf::error reason) {
  if (self->state.stopping) {
    return;
  }
  self->state.stopping = true;
  self->state.stop_reason = std::move(reason);
  stop_next(self);
}

void on_crash(supervisor_self* self, std::size_t index, const caf::error& reason) {
  auto& state = self->state;
  auto& kid = state.children[index];
  const auto name = full_name(state, kid);
  const auto why = self->system().render(reason);
  state.settings.logger->warn("child_crashed", {{"child", name}, {"reason", why}});
  const auto now = state.settings.clock();
  if (!state.intensity.admit(now)) {
    const auto& limit = state.settings.intensity;
    auto text = state.settings.name + " gave up: " + name + " crashed more than " +
                std::to_string(limit.max_restarts) + " times in " +
                std::to_string(limit.period.count()) + " ms";
    state.settings.logger->error(
        "supervisor_gave_up",
        {{"supervisor", state.settings.name}, {"child", name}, {"reason", std::string_view{text}}});
    begin_stop(self, make_error(errc::unavailable, std::move(text)));
    return;
  }
  self->send(kid.front, target_atom::value, caf::actor{}, true);
  const auto attempt = kid.recent.count(now);
  kid.recent.admit(now);
  const auto delay = backoff_delay(state.settings.backoff, attempt, state.settings.jitter());
  state.settings.logger->info("child_restarting",
                              {{"child", name},
                               {"attempt", static_cast<std::int64_t>(attempt)},
                               {"delay_ms", static_cast<std::int64_t>(delay.count())}});
  self->delayed_send(self, delay, restart_atom::value, std::uint64_t{index}, ++kid.generation);
}

void on_down(supervisor_self* self, const caf::down_msg& down) {
  auto& children = self->state.children;
  for (std::size_t index = 0; index < children.size(); ++index) {
    auto& kid = children[index];
    if (!kid.current || kid.current.address() != down.source) {
      continue;
    }
    kid.current = nullptr;
    if (self->state.stopping) {
      self->send(kid.front, target_atom::value, caf::actor{}, false);
      stop_next(self);
    } else if (!down.reason || down.reason == caf::exit_reason::user_shutdown) {
      // Asked to stop, not crashed: stays stopped, as an OTP transient child would.
      self->send(kid.front, target_atom::value, caf::actor{}, false);
    } else {
      on_crash(self, index, down.reason);
    }
    return;
  }
}

caf::result<caf::actor> start_new_child(supervisor_self* self, child_spec& spec) {
  auto& state = self->state;
  if (state.stopping) {
    return make_error(errc::unavailable, state.settings.name + " is stopping");
  }
  for (const auto& kid : state.children) {
    if (kid.spec.name == spec.name) {
      return make_error(errc::conflict, "a child named " + spec.name + " already runs");
    }
  }
  child kid{std::move(spec), {}, {}, 0, restart_window{state.settings.intensity}, 0};
  kid.current = start_incarnation(self, kid);
  if (!kid.current) {
    return make_error(errc::internal, full_name(state, kid) + " did not start");
  }
  kid.front = spawn_front(self->system(), caf::actor_cast<caf::actor>(self), kid.current,
                          state.settings.front_queue_limit);
  state.children.push_back(std::move(kid));
  return state.children.back().front;
}

void on_restart(supervisor_self* self, std::uint64_t index, std::uint64_t generation) {
  auto& state = self->state;
  if (state.stopping || index >= state.children.size()) {
    return;
  }
  auto& kid = state.children[index];
  if (kid.generation != generation || kid.current) {
    return;
  }
  ++kid.restarts;
  kid.current = start_incarnation(self, kid);
  if (!kid.current) {
    on_crash(self, index, make_error(errc::internal, "start failed"));
    return;
  }
  self->send(kid.front, target_atom::value, kid.current, false);
}

void on_stop_timeout(supervisor_self* self, std::uint64_t index) {
  auto& state = self->state;
  if (!state.stopping || index >= state.children.size() || !state.children[index].current) {
    return;
  }
  auto& kid = state.children[index];
  state.settings.logger->warn("child_stop_timeout", {{"child", full_name(state, kid)}});
  caf::anon_send_exit(kid.current, caf::exit_reason::kill);
  kid.current = nullptr;
  stop_next(self);
}

caf::behavior supervisor(supervisor_self* self, supervisor_settings settings) {
  self->state.intensity = restart_window{settings.intensity};
  self->state.settings = std::move(settings);
  register_actor(self->state.settings.directory,
                 actor_registration{self->state.settings.name, "supervisor", 0,
                                    caf::actor_cast<caf::actor>(self), true});
  self->set_down_handler([self](caf::down_msg& down) { on_down(self, down); });
  // No links: every exit message is a request to stop (kill ends the actor without asking).
  self->set_exit_handler([self](caf::exit_msg& msg) { begin_stop(self, std::move(msg.reason)); });
  return introspected<caf::behavior>(
      self, [self](start_atom, child_spec& spec) { return start_new_child(self, spec); },
      [self](get_atom, const std::string& name) {
        for (const auto& kid : self->state.children) {
          if (kid.spec.name == name) {
            return kid.front;
          }
        }
        return caf::actor{};
      },
      [self](restart_atom, std::uint64_t index, std::uint64_t generation) {
        on_restart(self, index, generation);
      },
      [self](timeout_atom, std::uint64_t index) { on_stop_timeout(self, index); });
}

}  // namespace

caf::actor spawn_supervisor(caf::actor_system& system, supervisor_settings settings) {
  if (!settings.logger) {
    settings.logger = std::make_shared<log::logger>(log::level::warn, log::format::json);
  }
  return system.spawn(supervisor, std::move(settings));
}

caf::expected<caf::actor> start_child(caf::actor_system& system, const caf::actor& supervisor,
                                      child_spec spec, std::chrono::milliseconds timeout) {
  caf::scoped_actor self{system};
  caf::expected<caf::actor> outcome =
      make_error(errc::unavailable, "the supervisor did not answer");
  // cppcheck-suppress accessMoved ; false positive: the chained .receive() is no later use
  self->request(supervisor, timeout, start_atom::value, std::move(spec))
      .receive([&](caf::actor& handle) { outcome = std::move(handle); },
               [&](caf::error& err) { outcome = std::move(err); });
  return outcome;
}

bool stop_and_wait(caf::actor_system& system, const caf::actor& target,
                   std::chrono::milliseconds timeout) {
  if (!target) {
    return true;
  }
  caf::scoped_actor self{system};
  self->monitor(target);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
  bool gone = false;
  self->receive([&](caf::down_msg&) { gone = true; }, caf::after(timeout) >> [] {});
  return gone;
}

}  // namespace schedulerd::actors
