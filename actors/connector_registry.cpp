#include "actors/connector_registry.hpp"

#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "actors/held_claims.hpp"
#include "storage/dispatch_store.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <unordered_map>

namespace schedulerd::actors {

namespace {

struct registry_state {
  connector_settings settings;
  caf::actor directory;
  // Connectors are listed in the directory under this name, then their connection id.
  std::string listed_as;
  // Shared with the functor that stops them when the registry ends, which runs after the state.
  std::shared_ptr<std::unordered_map<std::int64_t, connector_actor>> running =
      std::make_shared<std::unordered_map<std::int64_t, connector_actor>>();
  // Crashes per connection, kept after the crashed connector is gone so the next one shows them.
  std::unordered_map<std::int64_t, std::int64_t> crashes;
  // What each running connector holds, by connection id: a crashed one's claims are settled here.
  std::unordered_map<std::int64_t, std::shared_ptr<held_claims>> held;
  // Who hands claims over (the scheduler): told when a crashed connector's claims are settled.
  caf::strong_actor_ptr claims_owner;
};

using registry_self = connector_registry_actor::stateful_pointer<registry_state>;

std::string directory_name(const registry_state& state, std::int64_t provider_id) {
  auto name = state.listed_as;
  name += '.';
  name += std::to_string(provider_id);
  return name;
}

// Stores what a crashed connector knew of its claims and gives the others back at once (see
// held_claims.hpp), instead of leaving them `processing` until their leases run out; the
// scheduler then counts them settled and learns when the given-back ones are due.
void settle_abandoned(registry_self self, std::int64_t provider_id, held_claims& held) {
  const auto& settings = self->state.settings;
  auto results =
      std::make_shared<const std::vector<domain::attempt_result>>(held.abandon(settings.now()));
  if (results->empty()) {
    return;
  }
  query(self, settings.db_pool,
        [owner = settings.node_id, results](storage::connection& db) {
          return caf::expected<std::int64_t>{storage::record_attempts(db, owner, *results)};
        })
      .then(
          [self, provider_id, results](std::int64_t kept) {
            std::vector<domain::due_entry> due;
            for (const auto& result : *results) {
              if (result.outcome == domain::attempt_outcome::retry ||
                  result.outcome == domain::attempt_outcome::released) {
                due.push_back({result.claim.id, result.retry_at});
              }
            }
            if (const auto& owner = self->state.claims_owner) {
              const auto scheduler = caf::actor_cast<caf::actor>(owner);
              caf::anon_send(scheduler, settled_atom::value,
                             static_cast<std::int64_t>(results->size()));
              caf::anon_send(scheduler, schedule_atom::value, std::move(due));
            }
            self->state.settings.logger->warn(
                "claims_recovered", {{"provider_id", provider_id},
                                     {"claims", static_cast<std::int64_t>(results->size())},
                                     {"stored", kept}});
          },
          [self, provider_id](caf::error& err) {
            // Nothing is lost: the claims stay `processing` until their leases run out.
            self->state.settings.logger->error(
                "claims_recovery_failed",
                {{"provider_id", provider_id}, {"reason", self->system().render(err)}});
          });
}

void on_down(registry_self self, const caf::down_msg& down) {
  auto& running = *self->state.running;
  for (auto it = running.begin(); it != running.end(); ++it) {
    if (it->second.address() != down.source) {
      continue;
    }
    const auto provider_id = it->first;
    running.erase(it);
    const auto held = self->state.held.extract(provider_id);
    if (down.reason && down.reason != caf::exit_reason::user_shutdown &&
        down.reason != caf::exit_reason::normal) {
      ++self->state.crashes[provider_id];
      self->state.settings.logger->error(
          "connector_crashed",
          {{"provider_id", provider_id}, {"reason", self->system().render(down.reason)}});
      if (!held.empty()) settle_abandoned(self, provider_id, *held.mapped());
    }
    return;
  }
}

connector_actor find_or_start(registry_self self, std::int64_t provider_id) {
  auto& running = *self->state.running;
  if (auto found = running.find(provider_id); found != running.end()) {
    return found->second;
  }
  auto held = std::make_shared<held_claims>();
  self->state.held[provider_id] = held;
  auto handle = spawn_connector(self->system(), provider_id, self->state.settings, held);
  self->monitor(handle);
  register_actor(self->state.directory,
                 {directory_name(self->state, provider_id), "connector",
                  self->state.crashes[provider_id], caf::actor_cast<caf::actor>(handle), true});
  running.emplace(provider_id, handle);
  return handle;
}

// Drains every running connector at once; answers when the last one did (false if any failed).
caf::result<bool> drain_all(registry_self self) {
  auto promise = self->make_response_promise<bool>();
  auto& running = *self->state.running;
  if (running.empty()) {
    promise.deliver(true);
    return promise;
  }
  struct tally {
    std::size_t left;
    bool drained = true;
  };
  auto count = std::make_shared<tally>(tally{running.size()});
  auto settle = [promise, count](bool drained) mutable {
    count->drained = count->drained && drained;
    if (--count->left == 0) {
      promise.deliver(count->drained);
    }
  };
  for (const auto& entry : running) {
    self->request(entry.second, caf::infinite, drain_atom::value)
        .then([settle](bool drained) mutable { settle(drained); },
              [settle](caf::error&) mutable { settle(false); });
  }
  return promise;
}

// A connector busy with a slow call answers late: the console shows it without a report rather
// than waiting for it.
constexpr std::chrono::milliseconds report_timeout{500};

// Asks every running connector for its report; answers with those that came in time, by id.
caf::result<std::vector<connector_report>> reports(registry_self self) {
  auto promise = self->make_response_promise<std::vector<connector_report>>();
  auto& running = *self->state.running;
  auto gathered = std::make_shared<std::vector<connector_report>>();
  auto left = std::make_shared<std::size_t>(running.size());
  auto settle = [promise, gathered, left]() mutable {
    if (--*left > 0) {
      return;
    }
    std::sort(gathered->begin(), gathered->end(),
              [](const auto& a, const auto& b) { return a.provider_id < b.provider_id; });
    promise.deliver(std::move(*gathered));
  };
  if (running.empty()) {
    promise.deliver(std::vector<connector_report>{});
    return promise;
  }
  for (const auto& entry : running) {
    self->request(entry.second, report_timeout, get_atom::value, report_atom::value)
        .then(
            [gathered, settle](connector_report& report) mutable {
              gathered->push_back(std::move(report));
              settle();
            },
            [settle](caf::error&) mutable { settle(); });
  }
  return promise;
}

connector_registry_actor::behavior_type connector_registry(registry_self self,
                                                           connector_settings settings,
                                                           caf::actor directory,
                                                           std::string listed_as) {
  self->state.settings = std::move(settings);
  self->state.directory = std::move(directory);
  self->state.listed_as = std::move(listed_as);
  self->set_down_handler([self](caf::down_msg& down) { on_down(self, down); });
  // Connectors are monitored, not linked: a link would carry a `kill` (which no exit handler can
  // trap) from one connector to the registry and from there to every other connector.
  self->attach_functor([running = self->state.running] {
    for (const auto& entry : *running) {
      caf::anon_send_exit(entry.second, caf::exit_reason::user_shutdown);
    }
  });
  return introspected<connector_registry_actor::behavior_type>(
      self, [self](get_atom, std::int64_t provider_id) { return find_or_start(self, provider_id); },
      [self](reload_atom, std::int64_t provider_id) -> caf::result<bool> {
        auto found = self->state.running->find(provider_id);
        if (found == self->state.running->end()) {
          return false;
        }
        return self->delegate(found->second, reload_atom::value);
      },
      [self](forget_atom, std::int64_t provider_id) {
        auto found = self->state.running->find(provider_id);
        if (found == self->state.running->end()) {
          return false;
        }
        self->send_exit(found->second, caf::exit_reason::user_shutdown);
        self->state.running->erase(found);
        self->state.held.erase(provider_id);
        return true;
      },
      [self](deliver_atom, std::int64_t provider_id,
             std::vector<domain::claimed_message>& claimed) {
        // Delegated, so the connector knows who to tell when the claims are settled.
        self->state.claims_owner = self->current_sender();
        return self->delegate(find_or_start(self, provider_id), deliver_atom::value,
                              std::move(claimed));
      },
      [self](drain_atom) { return drain_all(self); },
      [self](get_atom) { return static_cast<std::int64_t>(self->state.running->size()); },
      unmetered([self](get_atom, report_atom) { return reports(self); }));
}

}  // namespace

connector_registry_actor spawn_connector_registry(caf::actor_system& system,
                                                  connector_settings settings, caf::actor directory,
                                                  std::string listed_as) {
  return system.spawn(connector_registry, std::move(settings), std::move(directory),
                      std::move(listed_as));
}

}  // namespace schedulerd::actors
