#include "http/json/snapshot_json.hpp"

#include "domain/rfc3339.hpp"

#include <set>
#include <string>

namespace schedulerd::http {

namespace {

using nlohmann::json;

// A time in ms since the epoch, or null for 0 (never, unknown).
json time_or_null(std::int64_t epoch_ms) {
  return epoch_ms > 0 ? json(domain::format_rfc3339(epoch_ms)) : json(nullptr);
}

json count_or_null(std::int64_t count) {
  return count >= 0 ? json(count) : json(nullptr);
}

// The longest dotted prefix of `name` that names another actor (`engine` for
// `engine.connectors`, `engine.connectors` for `engine.connectors.7`), or null at the root.
json parent_of(const std::string& name, const std::set<std::string>& names) {
  for (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0;
       dot = name.rfind('.', dot - 1)) {
    auto prefix = name.substr(0, dot);
    if (names.contains(prefix)) {
      return prefix;
    }
  }
  return nullptr;
}

json actors_json(const std::vector<actors::actor_info>& actors) {
  std::set<std::string> names;
  for (const auto& actor : actors) {
    names.insert(actor.name);
  }
  auto out = json::array();
  for (const auto& actor : actors) {
    out.push_back({{"name", actor.name},
                   {"parent", parent_of(actor.name, names)},
                   {"kind", actor.kind},
                   {"alive", actor.alive},
                   {"mailbox", count_or_null(actor.mailbox)},
                   {"processed", count_or_null(actor.processed)},
                   {"restarts", actor.restarts},
                   {"last_activity_at", time_or_null(actor.last_activity)}});
  }
  return out;
}

json scheduler_json(const actors::scheduler_stats& stats) {
  json lateness = nullptr;
  if (stats.handed_off > 0 && stats.lateness_ms.size() >= 4) {
    lateness = {{"p50", stats.lateness_ms[0]},
                {"p95", stats.lateness_ms[1]},
                {"p99", stats.lateness_ms[2]},
                {"max", stats.lateness_ms[3]}};
  }
  return {{"healthy", stats.healthy},
          {"wheel",
           {{"levels", stats.wheel_levels},
            {"next_due_at", stats.next_due ? time_or_null(*stats.next_due) : json(nullptr)},
            {"loaded_until", time_or_null(stats.loaded_until)},
            {"last_tick_at", time_or_null(stats.last_tick_at)},
            {"refill_age_ms", stats.refill_age_ms},
            {"refill_every_ms", stats.refill_every_ms}}},
          {"handed_off", stats.handed_off},
          {"held", stats.held},
          {"lateness_ms", lateness}};
}

json connectors_json(const std::vector<actors::connector_report>& reports) {
  auto out = json::array();
  for (const auto& report : reports) {
    out.push_back(
        {{"provider_id", report.provider_id},
         {"status", report.status},
         {"paused", report.paused},
         {"queued", report.queued},
         {"in_flight", report.in_flight},
         {"routes_ready", report.routes_ready},
         {"to_fold", report.to_fold},
         {"sent", report.sent},
         {"failed", report.failed},
         {"rate_limit_per_second", report.rate_limit},
         {"breaker", report.breaker},
         {"last_error", report.last_error.empty() ? json(nullptr) : json(report.last_error)},
         {"last_error_at", time_or_null(report.last_error_at)}});
  }
  return out;
}

}  // namespace

json snapshot_json(const actors::engine_snapshot& snapshot) {
  return {{"generated_at", domain::format_rfc3339(snapshot.generated_at)},
          {"node",
           {{"uptime_seconds", snapshot.uptime_seconds},
            {"resident_bytes",
             snapshot.resident_bytes ? json(*snapshot.resident_bytes) : json(nullptr)}}},
          {"sources", snapshot.sources},
          {"actors", actors_json(snapshot.actors)},
          {"scheduler", snapshot.scheduler ? scheduler_json(*snapshot.scheduler) : json(nullptr)},
          {"connectors", connectors_json(snapshot.connectors)},
          {"messages", snapshot.messages}};
}

}  // namespace schedulerd::http
