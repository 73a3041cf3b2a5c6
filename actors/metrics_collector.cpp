#include "actors/metrics_collector.hpp"

#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "metrics/process_status.hpp"
#include "storage/status_totals.hpp"

#include <caf/all.hpp>

#include <array>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace schedulerd::actors {

namespace {

using metrics::add_sample;
using metrics::family;
using metrics::make_family;
using metrics::metric_type;

// One snapshot in the making: the parts gathered so far and the sources still outstanding.
struct gathering {
  engine_snapshot snapshot;
  std::function<void(engine_snapshot&)> done;
  int outstanding = 0;

  void settle() {
    if (--outstanding == 0) {
      done(snapshot);
    }
  }
};

void read_process_facts(const metrics_sources& sources, engine_snapshot& snapshot) {
  snapshot.uptime_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sources.started).count();
  if (sources.proc_status_path.empty()) {
    return;
  }
  // A small procfs read: the kernel answers it from memory, it never waits on a disk.
  std::ifstream in{sources.proc_status_path};
  std::ostringstream text;
  text << in.rdbuf();
  if (auto bytes = metrics::resident_bytes(text.str())) {
    snapshot.resident_bytes = static_cast<std::int64_t>(*bytes);
  }
}

// Stores `store(answer, snapshot)` of the answer to `pending`, if it comes in time.
template <class Answer, class Pending, class Store>
void collect_from(Pending pending, const std::shared_ptr<gathering>& job, const char* source,
                  Store store) {
  ++job->outstanding;
  pending.then(
      [job, source, store](Answer& answer) {
        store(answer, job->snapshot);
        job->snapshot.sources[source] = true;
        job->settle();
      },
      [job](caf::error&) { job->settle(); });
}

// Asks every source at once and calls `done` with the snapshot once each answered or timed out.
void gather(metrics_actor::pointer self, const metrics_sources& sources,
            std::function<void(engine_snapshot&)> done) {
  auto job = std::make_shared<gathering>();
  job->done = std::move(done);
  job->snapshot.generated_at = sources.now();
  read_process_facts(sources, job->snapshot);
  job->snapshot.sources = {
      {"connectors", false}, {"database", false}, {"directory", false}, {"scheduler", false}};
  // One count held until every source has been asked, so none can settle the snapshot early.
  job->outstanding = 1;
  if (sources.directory) {
    collect_from<std::vector<actor_info>>(
        self->request(sources.directory, sources.timeout, list_atom::value), job, "directory",
        [](std::vector<actor_info>& actors, engine_snapshot& into) {
          into.actors = std::move(actors);
        });
  }
  if (sources.scheduler) {
    collect_from<scheduler_stats>(
        self->request(sources.scheduler, sources.timeout, get_atom::value), job, "scheduler",
        [](scheduler_stats& stats, engine_snapshot& into) { into.scheduler = std::move(stats); });
  }
  if (sources.connectors) {
    collect_from<std::vector<connector_report>>(
        self->request(sources.connectors, sources.timeout, get_atom::value, report_atom::value),
        job, "connectors", [](std::vector<connector_report>& reports, engine_snapshot& into) {
          into.connectors = std::move(reports);
        });
  }
  if (sources.db_pool) {
    collect_from<std::map<std::string, std::int64_t>>(
        query(
            self, sources.db_pool,
            [](storage::connection& db) -> caf::expected<std::map<std::string, std::int64_t>> {
              return storage::message_totals_by_status(db);
            },
            sources.timeout),
        job, "database", [](std::map<std::string, std::int64_t>& totals, engine_snapshot& into) {
          into.messages = std::move(totals);
        });
  }
  job->settle();
}

void add_process_facts(const engine_snapshot& snapshot, std::vector<family>& out) {
  auto uptime = make_family("schedulerd_uptime_seconds", "Seconds since the service started.",
                            metric_type::gauge);
  add_sample(uptime, {}, snapshot.uptime_seconds);
  out.push_back(std::move(uptime));
  if (snapshot.resident_bytes) {
    auto resident = make_family("process_resident_memory_bytes", "Resident memory size in bytes.",
                                metric_type::gauge);
    add_sample(resident, {}, static_cast<double>(*snapshot.resident_bytes));
    out.push_back(std::move(resident));
  }
}

void add_actor_facts(const std::vector<actor_info>& actors, std::vector<family>& out) {
  auto mailbox = make_family(
      "schedulerd_actor_mailbox",
      "Messages waiting in a long-lived actor's mailbox, as it reported itself (only actors that "
      "answer the directory's probe).",
      metric_type::gauge);
  auto restarts = make_family("schedulerd_actor_restarts_total",
                              "How often a long-lived actor was started again after a crash.",
                              metric_type::counter);
  auto alive =
      make_family("schedulerd_actor_up",
                  "Whether a long-lived actor's current incarnation is alive.", metric_type::gauge);
  for (const auto& actor : actors) {
    const metrics::label_set labels{{"name", actor.name}, {"kind", actor.kind}};
    if (actor.mailbox >= 0) {
      add_sample(mailbox, labels, static_cast<double>(actor.mailbox));
    }
    add_sample(restarts, labels, static_cast<double>(actor.restarts));
    add_sample(alive, labels, actor.alive ? 1 : 0);
  }
  out.push_back(std::move(mailbox));
  out.push_back(std::move(restarts));
  out.push_back(std::move(alive));
}

void add_scheduler_facts(const scheduler_stats& stats, std::vector<family>& out) {
  auto healthy = make_family("schedulerd_scheduler_healthy",
                             "Whether the scheduler ticked and refilled its wheel on time.",
                             metric_type::gauge);
  add_sample(healthy, {}, stats.healthy ? 1 : 0);
  out.push_back(std::move(healthy));
  auto wheel = make_family("schedulerd_scheduler_wheel_entries",
                           "Due times held in the scheduler's timer wheel, per level (0 first).",
                           metric_type::gauge);
  for (std::size_t level = 0; level < stats.wheel_levels.size(); ++level) {
    add_sample(wheel, {{"level", std::to_string(level)}},
               static_cast<double>(stats.wheel_levels[level]));
  }
  out.push_back(std::move(wheel));
  auto handed_off = make_family(
      "schedulerd_dispatch_handed_off_total",
      "Messages this node claimed and handed to connectors since the scheduler started.",
      metric_type::counter);
  add_sample(handed_off, {}, static_cast<double>(stats.handed_off));
  out.push_back(std::move(handed_off));
  auto held = make_family("schedulerd_dispatch_claims_held",
                          "Claims handed to connectors whose outcomes are not stored yet.",
                          metric_type::gauge);
  add_sample(held, {}, static_cast<double>(stats.held));
  out.push_back(std::move(held));
  auto lateness = make_family("schedulerd_dispatch_lateness_seconds",
                              "Lateness (due time to hand-off) over the last 4096 hand-offs, by "
                              "quantile; quantile 1 is the maximum.",
                              metric_type::gauge);
  static constexpr std::array<const char*, 4> quantiles{"0.5", "0.95", "0.99", "1"};
  // Nothing handed off yet: no lateness to report, rather than a misleading 0.
  if (stats.handed_off > 0) {
    for (std::size_t i = 0; i < quantiles.size() && i < stats.lateness_ms.size(); ++i) {
      add_sample(lateness, {{"quantile", quantiles.at(i)}},
                 static_cast<double>(stats.lateness_ms[i]) / 1000.0);
    }
  }
  out.push_back(std::move(lateness));
}

void add_message_totals(const std::map<std::string, std::int64_t>& totals,
                        std::vector<family>& out) {
  auto messages = make_family("schedulerd_messages",
                              "Scheduled messages in the database by status, over every user "
                              "(database-wide: every node reports the same numbers).",
                              metric_type::gauge);
  for (const auto& [status, count] : totals) {
    add_sample(messages, {{"status", status}}, static_cast<double>(count));
  }
  out.push_back(std::move(messages));
}

void add_source_facts(const std::map<std::string, bool>& sources, std::vector<family>& out) {
  auto up = make_family("schedulerd_metrics_source_up",
                        "Whether a source answered this scrape in time (1) or not (0).",
                        metric_type::gauge);
  for (const auto& [source, answered] : sources) {
    add_sample(up, {{"source", source}}, answered ? 1 : 0);
  }
  out.push_back(std::move(up));
}

// The snapshot's series, after the instruments': a source that did not answer adds none.
std::vector<family> families_of(std::vector<family> families, const engine_snapshot& snapshot) {
  add_process_facts(snapshot, families);
  if (snapshot.sources.at("directory")) {
    add_actor_facts(snapshot.actors, families);
  }
  if (snapshot.scheduler) {
    add_scheduler_facts(*snapshot.scheduler, families);
  }
  if (snapshot.sources.at("database")) {
    add_message_totals(snapshot.messages, families);
  }
  add_source_facts(snapshot.sources, families);
  return families;
}

metrics_actor::behavior_type collector(metrics_actor::pointer self,
                                       const metrics_sources& sources) {
  return introspected<metrics_actor::behavior_type>(
      self,
      [self, sources](get_atom) -> caf::result<std::vector<family>> {
        auto promise = self->make_response_promise<std::vector<family>>();
        auto instruments =
            sources.instruments ? sources.instruments->collect() : std::vector<family>{};
        gather(self, sources,
               [promise, instruments = std::move(instruments)](engine_snapshot& snapshot) mutable {
                 promise.deliver(families_of(std::move(instruments), snapshot));
               });
        return promise;
      },
      [self, sources](get_atom, report_atom) -> caf::result<engine_snapshot> {
        auto promise = self->make_response_promise<engine_snapshot>();
        gather(self, sources,
               [promise](engine_snapshot& snapshot) mutable { promise.deliver(snapshot); });
        return promise;
      });
}

}  // namespace

metrics_actor spawn_metrics_collector(caf::actor_system& system, metrics_sources sources) {
  return system.spawn(collector, std::move(sources));
}

}  // namespace schedulerd::actors
