#include "actors/directory.hpp"

#include <caf/all.hpp>

#include <map>
#include <memory>
#include <vector>

namespace schedulerd::actors {

namespace {

// A probe waits behind whatever runs now (a detached worker inside a query answers late), so the
// console gets -1 rather than waiting for a busy actor.
constexpr std::chrono::milliseconds probe_timeout{500};

struct entry {
  std::string kind;
  std::int64_t restarts = 0;
  caf::actor_addr address;
  bool reports_mailbox = false;
  bool alive = true;
};

struct directory_state {
  std::map<std::string, entry> entries;
};

using directory_self = caf::stateful_actor<directory_state>;

// Fans one high-priority probe out per reporting actor and answers once every probe came back.
// Priority matters: at normal priority the probe would wait behind the backlog it measures.
caf::result<std::vector<actor_info>> list_actors(directory_self* self) {
  auto infos = std::make_shared<std::vector<actor_info>>();
  std::vector<std::pair<std::size_t, caf::actor>> probes;
  for (const auto& [name, found] : self->state.entries) {
    infos->push_back(actor_info{name, found.kind, found.restarts, -1, found.alive, -1, 0});
    auto handle = caf::actor_cast<caf::actor>(found.address);
    if (found.alive && found.reports_mailbox && handle) {
      probes.emplace_back(infos->size() - 1, std::move(handle));
    }
  }
  if (probes.empty()) {
    return std::move(*infos);
  }
  auto promise = self->make_response_promise<std::vector<actor_info>>();
  auto pending = std::make_shared<std::size_t>(probes.size());
  auto answered = [promise, infos, pending]() mutable {
    if (--*pending == 0) {
      promise.deliver(std::move(*infos));
    }
  };
  for (const auto& [index, handle] : probes) {
    self->request<caf::message_priority::high>(handle, caf::duration{probe_timeout},
                                               get_atom::value, mailbox_atom::value)
        .then(
            [infos, index = index, answered](actor_probe& probe) mutable {
              auto& info = (*infos)[index];
              info.mailbox = probe.mailbox;
              info.processed = probe.processed;
              info.last_activity = probe.last_activity;
              answered();
            },
            [answered](caf::error&) mutable { answered(); });
  }
  return promise;
}

caf::behavior directory(directory_self* self) {
  self->set_down_handler([self](caf::down_msg& down) {
    for (auto& [name, found] : self->state.entries) {
      if (found.address == down.source) {
        found.alive = false;
      }
    }
  });
  return introspected<caf::behavior>(
      self,
      [self](start_atom, actor_registration& registration) {
        if (!registration.handle) {
          return;
        }
        self->monitor(registration.handle);
        self->state.entries[registration.name] =
            entry{std::move(registration.kind), registration.restarts,
                  registration.handle.address(), registration.reports_mailbox, true};
      },
      [self](list_atom) { return list_actors(self); },
      [self](get_atom, const std::string& name) {
        auto found = self->state.entries.find(name);
        if (found == self->state.entries.end() || !found->second.alive) {
          return caf::actor{};
        }
        return caf::actor_cast<caf::actor>(found->second.address);
      });
}

}  // namespace

caf::actor spawn_directory(caf::actor_system& system) {
  return system.spawn(directory);
}

void register_actor(const caf::actor& directory, actor_registration entry) {
  if (directory) {
    caf::anon_send(directory, start_atom::value, std::move(entry));
  }
}

}  // namespace schedulerd::actors
