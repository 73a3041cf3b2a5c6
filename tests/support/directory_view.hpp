#pragma once

#include "actors/directory.hpp"
#include "app/service.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// The service's long-lived actors as its directory lists them, for tests.
struct directory_view {
  /// The service whose directory is read.
  app::service& running;

  /// Every registered actor.
  [[nodiscard]] std::vector<actors::actor_info> actors() const {
    caf::scoped_actor self{running.actors()};
    std::vector<actors::actor_info> infos;
    self->request(running.directory(), std::chrono::seconds{5}, list_atom::value)
        .receive([&](std::vector<actors::actor_info>& all) { infos = std::move(all); },
                 [](caf::error&) {});
    return infos;
  }

  /// Kills the current incarnation of `name` the hard way (no exit handler runs).
  void kill(const std::string& name) const {
    caf::scoped_actor self{running.actors()};
    caf::actor target;
    self->request(running.directory(), std::chrono::seconds{5}, get_atom::value, name)
        .receive([&](caf::actor& found) { target = found; }, [](caf::error&) {});
    REQUIRE(target);
    caf::anon_send_exit(target, caf::exit_reason::kill);
  }

  /// The actor registered as `name`, if any.
  [[nodiscard]] std::optional<actors::actor_info> find(const std::string& name) const {
    for (auto& info : actors()) {
      if (info.name == name) {
        return info;
      }
    }
    return std::nullopt;
  }
};

}  // namespace schedulerd::testing
