#include "actors/supervisor.hpp"

#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "tests/support/polling.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

using double_atom = caf::atom_constant<caf::atom("double")>;

caf::behavior doubler(caf::event_based_actor* /*self*/) {
  return {[](double_atom, int x) { return 2 * x; }};
}

caf::behavior crash_at_once(caf::event_based_actor* self) {
  self->quit(make_error(errc::internal, "broken on purpose"));
  return {};
}

struct supervision_fixture {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  std::FILE* log_file = std::tmpfile();
  std::shared_ptr<log::logger> logger =
      std::make_shared<log::logger>(log::level::debug, log::format::json, log_file);
  caf::actor directory;
  std::shared_ptr<std::atomic<int>> starts = std::make_shared<std::atomic<int>>(0);

  supervision_fixture() {
    register_errc_category(config);
    system = std::make_unique<caf::actor_system>(config);
    directory = actors::spawn_directory(*system);
  }

  supervision_fixture(const supervision_fixture&) = delete;
  supervision_fixture& operator=(const supervision_fixture&) = delete;

  ~supervision_fixture() {
    caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
    system.reset();
    static_cast<void>(std::fclose(log_file));  // read-only use left; nothing to recover
  }

  [[nodiscard]] actors::supervisor_settings settings() const {
    actors::supervisor_settings result;
    result.name = "test";
    result.backoff = {5ms, 40ms, 0.2};
    result.jitter = [] { return 0.5; };
    result.directory = directory;
    result.logger = logger;
    return result;
  }

  template <class Behavior>
  actors::child_spec counted(const std::string& name, Behavior behavior) {
    return {name, "service", [counter = starts, behavior](caf::actor_system& sys) {
              ++*counter;
              return sys.spawn(behavior);
            }};
  }

  caf::expected<int> ask(const caf::actor& handle, int x) const {
    caf::scoped_actor self{*system};
    caf::expected<int> outcome = make_error(errc::internal, "no answer");
    self->request(handle, 5s, double_atom::value, x)
        .receive([&](int value) { outcome = value; }, [&](caf::error& err) { outcome = err; });
    return outcome;
  }

  caf::actor current(const std::string& name) const {
    caf::scoped_actor self{*system};
    caf::actor found;
    self->request(directory, 5s, get_atom::value, name)
        .receive([&](caf::actor& handle) { found = handle; }, [](caf::error&) {});
    return found;
  }

  std::vector<actors::actor_info> listing() const {
    caf::scoped_actor self{*system};
    std::vector<actors::actor_info> infos;
    self->request(directory, 5s, list_atom::value)
        .receive([&](std::vector<actors::actor_info>& all) { infos = std::move(all); },
                 [](caf::error&) {});
    return infos;
  }

  std::string log_text() const {
    static_cast<void>(std::fflush(log_file));
    std::string text;
    std::rewind(log_file);
    for (int c = std::fgetc(log_file); c != EOF; c = std::fgetc(log_file)) {
      text.push_back(static_cast<char>(c));
    }
    return text;
  }
};

// Waits for `target` to end and returns why (an `internal` error if it did not end in time).
caf::error wait_for_end(caf::actor_system& system, const caf::actor& target) {
  caf::scoped_actor self{system};
  self->monitor(target);
  caf::error reason = make_error(errc::internal, "still running");
  self->receive([&](caf::down_msg& down) { reason = down.reason; }, caf::after(10s) >> [] {});
  return reason;
}

}  // namespace

TEST_CASE_METHOD(supervision_fixture,
                 "a killed child is restarted within its backoff and its stable handle answers",
                 "[actors][supervisor]") {
  auto supervisor = actors::spawn_supervisor(*system, settings());
  auto handle = actors::start_child(*system, supervisor, counted("doubler", doubler));
  REQUIRE(handle);
  CHECK(ask(*handle, 21) == 42);

  auto first = current("test.doubler");
  REQUIRE(first);
  caf::anon_send_exit(first, caf::exit_reason::kill);
  REQUIRE(testing::eventually([&] { return starts->load() == 2; }, 2s));
  // The handle captured before the crash reaches the new incarnation.
  CHECK(ask(*handle, 4) == 8);
  CHECK(testing::eventually([&] {
    auto now = current("test.doubler");
    return now && now != first;
  }));
  auto infos = listing();
  auto entry = std::find_if(infos.begin(), infos.end(),
                            [](const auto& info) { return info.name == "test.doubler"; });
  REQUIRE(entry != infos.end());
  CHECK(entry->restarts == 1);
  CHECK(entry->alive);
  CHECK(actors::stop_and_wait(*system, supervisor, 5s));
}

TEST_CASE_METHOD(supervision_fixture,
                 "requests sent while a child restarts are queued and answered by the new one",
                 "[actors][supervisor]") {
  auto tuned = settings();
  tuned.backoff = {300ms, 300ms, 0.0};
  auto supervisor = actors::spawn_supervisor(*system, tuned);
  auto handle = actors::start_child(*system, supervisor, counted("doubler", doubler));
  REQUIRE(handle);
  caf::anon_send_exit(current("test.doubler"), caf::exit_reason::kill);
  REQUIRE(testing::eventually([&] { return !current("test.doubler"); }));
  CHECK(ask(*handle, 5) == 10);
  CHECK(starts->load() == 2);
  CHECK(actors::stop_and_wait(*system, supervisor, 5s));
}

TEST_CASE_METHOD(supervision_fixture,
                 "a child that keeps crashing makes its supervisor give up after N restarts in T",
                 "[actors][supervisor]") {
  auto tuned = settings();
  tuned.intensity = {3, 10s};
  tuned.backoff = {1ms, 2ms, 0.0};
  auto supervisor = actors::spawn_supervisor(*system, tuned);
  auto handle = actors::start_child(*system, supervisor, counted("broken", crash_at_once));
  REQUIRE(handle);
  auto reason = wait_for_end(*system, supervisor);
  CHECK(describe(reason).code == errc::unavailable);
  CHECK_THAT(describe(reason).message, Catch::Contains("test.broken"));
  // The first start and three restarts; the fourth crash escalated instead of looping.
  CHECK(starts->load() == 4);
  CHECK_THAT(log_text(), Catch::Contains("supervisor_gave_up"));
  // The stable handle outlives nothing: it stopped with its supervisor.
  CHECK(describe(wait_for_end(*system, *handle)).code == errc::unavailable);
}

TEST_CASE_METHOD(supervision_fixture,
                 "restart delays grow exponentially up to the cap and carry the injected jitter",
                 "[actors][supervisor]") {
  const actors::backoff_policy policy{100ms, 1000ms, 0.2};
  CHECK(actors::backoff_delay(policy, 0, 0.0) == 100ms);
  CHECK(actors::backoff_delay(policy, 1, 0.0) == 200ms);
  CHECK(actors::backoff_delay(policy, 3, 0.0) == 800ms);
  CHECK(actors::backoff_delay(policy, 4, 0.0) == 1000ms);
  CHECK(actors::backoff_delay(policy, 200, 0.0) == 1000ms);
  CHECK(actors::backoff_delay(policy, 1, 0.5) == 220ms);
  CHECK(actors::backoff_delay(policy, 4, 1.0) == 1200ms);

  // The supervisor uses them: with jitter 0.5 and factor 0.2, 5 ms doubles to the 40 ms cap.
  auto tuned = settings();
  tuned.intensity = {4, 10s};
  auto supervisor = actors::spawn_supervisor(*system, tuned);
  REQUIRE(actors::start_child(*system, supervisor, counted("broken", crash_at_once)));
  static_cast<void>(wait_for_end(*system, supervisor));
  auto text = log_text();
  std::vector<std::string> delays;
  for (auto at = text.find("\"delay_ms\":"); at != std::string::npos;
       at = text.find("\"delay_ms\":", at + 1)) {
    delays.push_back(text.substr(at + 11, text.find_first_of(",}", at) - at - 11));
  }
  CHECK(delays == std::vector<std::string>{"6", "11", "22", "44"});
}

TEST_CASE_METHOD(supervision_fixture, "a child that stops normally is not restarted",
                 "[actors][supervisor]") {
  auto supervisor = actors::spawn_supervisor(*system, settings());
  auto handle = actors::start_child(*system, supervisor, counted("doubler", doubler));
  REQUIRE(handle);
  caf::anon_send_exit(current("test.doubler"), caf::exit_reason::user_shutdown);
  REQUIRE(testing::eventually([&] {
    auto answer = ask(*handle, 1);
    return !answer && describe(answer.error()).code == errc::unavailable;
  }));
  CHECK(starts->load() == 1);
  CHECK(actors::stop_and_wait(*system, supervisor, 5s));
}

TEST_CASE_METHOD(supervision_fixture, "a supervisor stops its children in reverse start order",
                 "[actors][supervisor]") {
  auto order = std::make_shared<std::vector<std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  auto recorded = [order, mutex](const std::string& name) -> actors::child_spec {
    return {name, "service", [order, mutex, name](caf::actor_system& sys) {
              return sys.spawn([order, mutex, name](caf::event_based_actor* self) -> caf::behavior {
                self->attach_functor([order, mutex, name] {
                  std::lock_guard<std::mutex> guard{*mutex};
                  order->push_back(name);
                });
                return {[](double_atom, int x) { return x; }};
              });
            }};
  };
  auto supervisor = actors::spawn_supervisor(*system, settings());
  for (const auto* name : {"first", "second", "third"}) {
    REQUIRE(actors::start_child(*system, supervisor, recorded(name)));
  }
  REQUIRE(actors::stop_and_wait(*system, supervisor, 5s));
  std::lock_guard<std::mutex> guard{*mutex};
  CHECK(*order == std::vector<std::string>{"third", "second", "first"});
}

TEST_CASE("a restart window allows N restarts within its period and forgets older ones",
          "[actors][supervisor]") {
  actors::restart_window window{{2, 1000ms}};
  const auto start = std::chrono::steady_clock::time_point{};
  CHECK(window.admit(start));
  CHECK(window.admit(start + 100ms));
  CHECK_FALSE(window.admit(start + 200ms));
  CHECK(window.count(start + 1150ms) == 1);
  CHECK(window.admit(start + 1250ms));
}
