#include "actors/metrics_collector.hpp"
#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "metrics/text_format.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <chrono>

using namespace schedulerd;

namespace {

// A database that takes every query and never answers, as a hung PostgreSQL would.
caf::behavior silent_database(caf::event_based_actor* self,
                              const std::shared_ptr<std::vector<caf::response_promise>>& held) {
  return {[self, held](run_atom, actors::db_work&) {
    held->push_back(self->make_response_promise());
    return held->back();
  }};
}

std::string scrape(caf::actor_system& system, const actors::metrics_actor& collector) {
  std::string text;
  caf::scoped_actor asker{system};
  asker->request(collector, std::chrono::seconds{10}, get_atom::value)
      .receive([&](std::vector<metrics::family>& families) { text = metrics::render(families); },
               [&](caf::error& err) { FAIL("the collector failed: " << system.render(err)); });
  return text;
}

bool contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

}  // namespace

TEST_CASE("a scrape with a database that never answers still returns the other series in time",
          "[actors][metrics]") {
  caf::actor_system_config config;
  caf::actor_system system{config};
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  auto database = system.spawn(silent_database, held);
  auto directory = actors::spawn_directory(system);
  actors::register_actor(directory, {"directory", "directory", 2, directory, true});
  auto registry = std::make_shared<metrics::registry>();
  registry->add_counter("probe_total", "A counter.", {}).with({}).add(3);
  actors::metrics_sources sources;
  sources.instruments = registry;
  sources.directory = directory;
  sources.db_pool = database;
  // Long enough for the directory to answer on a machine as loaded as the ASan stage makes it.
  sources.timeout = std::chrono::milliseconds{1500};
  auto collector = actors::spawn_metrics_collector(system, sources);

  const auto started = std::chrono::steady_clock::now();
  const auto text = scrape(system, collector);
  const auto took = std::chrono::steady_clock::now() - started;

  INFO(text);
  // The silent database costs the scrape its timeout, not the scraper's own 10 s.
  CHECK(took < std::chrono::seconds{5});
  CHECK(contains(text, "probe_total 3\n"));
  CHECK(contains(text, "schedulerd_metrics_source_up{source=\"database\"} 0\n"));
  CHECK(contains(text, "schedulerd_metrics_source_up{source=\"directory\"} 1\n"));
  // No scheduler was given: down, not waited for.
  CHECK(contains(text, "schedulerd_metrics_source_up{source=\"scheduler\"} 0\n"));
  CHECK(
      contains(text, "schedulerd_actor_restarts_total{name=\"directory\",kind=\"directory\"} 2\n"));
  CHECK(contains(text, "schedulerd_actor_mailbox{name=\"directory\",kind=\"directory\"} "));
  CHECK_FALSE(contains(text, "schedulerd_messages{"));
  CHECK(contains(text, "schedulerd_uptime_seconds "));
  CHECK(contains(text, "process_resident_memory_bytes "));

  for (const auto& actor : {caf::actor_cast<caf::actor>(collector), database, directory}) {
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  }
}
