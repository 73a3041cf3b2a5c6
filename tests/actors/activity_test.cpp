#include "actors/activity.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <chrono>

using namespace schedulerd;

namespace {

// An actor whose pings are counted and whose `(get_atom)` question about itself is not.
caf::behavior counted_actor(caf::event_based_actor* self) {
  return actors::introspected<caf::behavior>(
      self, [](ping_atom) { return true; },
      actors::unmetered([](get_atom) { return std::int64_t{7}; }));
}

actors::actor_probe probe(caf::scoped_actor& asker, const caf::actor& target) {
  actors::actor_probe answer;
  asker->request(target, std::chrono::seconds{5}, get_atom::value, mailbox_atom::value)
      .receive([&](actors::actor_probe& reply) { answer = reply; },
               [&](caf::error& err) { FAIL("the probe failed: " << to_string(err)); });
  return answer;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("an introspected actor reports the messages it handled and when it handled the last",
          "[actors][activity]") {
  caf::actor_system_config config;
  caf::actor_system system{config};
  auto target = system.spawn(counted_actor);
  caf::scoped_actor asker{system};

  const auto fresh = probe(asker, target);
  CHECK(fresh.processed == 0);
  CHECK(fresh.last_activity == 0);
  CHECK(fresh.mailbox == 0);

  const auto before = now_ms();
  for (int i = 0; i < 3; ++i) {
    asker->request(target, std::chrono::seconds{5}, ping_atom::value)
        .receive([](bool) {}, [](caf::error&) { FAIL("the ping failed"); });
  }
  // The question about itself is answered but not counted as work.
  asker->request(target, std::chrono::seconds{5}, get_atom::value)
      .receive([](std::int64_t answer) { CHECK(answer == 7); },
               [](caf::error&) { FAIL("the question failed"); });
  const auto after = now_ms();

  const auto busy = probe(asker, target);
  CHECK(busy.processed == 3);
  // The coarse clock may lag the precise one by a few ms.
  CHECK(busy.last_activity >= before - 20);
  CHECK(busy.last_activity <= after + 20);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}
