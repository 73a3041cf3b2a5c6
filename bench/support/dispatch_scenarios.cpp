#include "bench/support/dispatch_scenarios.hpp"

#include "bench/support/cpu_sampler.hpp"
#include "bench/support/delivery.hpp"
#include "bench/support/limits.hpp"
#include "bench/support/stats.hpp"
#include "domain/clock.hpp"

#include <algorithm>

namespace schedulerd::bench {

namespace {

constexpr std::int64_t bulk_limit = 10000;

void report_lateness(const run_context& ctx, const std::string& scenario, const std::string& what,
                     const std::vector<double>& sample, const std::string& p99_target,
                     double p99_limit) {
  const auto d = distribution_of(sample);
  ctx.out.add(scenario, ctx.backend, ctx.run, what + " p50", format(d.p50, 0, "ms"));
  ctx.out.add(scenario, ctx.backend, ctx.run, what + " p95", format(d.p95, 0, "ms"));
  if (p99_target.empty()) {
    ctx.out.add(scenario, ctx.backend, ctx.run, what + " p99", format(d.p99, 0, "ms"));
  } else {
    ctx.out.add(scenario, ctx.backend, ctx.run, what + " p99", format(d.p99, 0, "ms"), p99_target,
                d.p99 <= p99_limit);
  }
  ctx.out.add(scenario, ctx.backend, ctx.run, what + " max", format(d.max, 0, "ms"));
}

// The limits beside the burst: the database's bare claim-and-record loop (service stopped), the
// fake provider's own capacity, each with the burst's share of it, and the time a bare libcurl
// client takes to post as many texts, beside the drain's.
void report_limits(const run_context& ctx, node& service, const std::string& scenario,
                   std::int64_t messages, double drain_ms) {
  const double burst_rate = static_cast<double>(messages) * 1000.0 / std::max(drain_ms, 1.0);
  service.stop();
  const auto sql = run_sql_loop(service.database());
  ctx.out.add(scenario, ctx.backend, ctx.run, "limit: bare SQL claim+record loop",
              format(sql.per_second, 0, "msg/s"));
  ctx.out.add(scenario, ctx.backend, ctx.run, "burst / bare SQL loop",
              format(100.0 * burst_rate / std::max(sql.per_second, 1.0), 0, "%"));
  ctx.out.add(scenario, ctx.backend, ctx.run,
              "bare SQL loop: recording " + std::to_string(sql.messages) + " outcomes",
              format(sql.record_ms, 0, "ms"));
  const auto provider =
      provider_capacity(service.provider(), std::chrono::seconds{ctx.smoke ? 1 : 5});
  // wrk posts texts; a send in chat mode is that post at its due time, its chat looked up during
  // the lead (a send claimed too late to be looked up ahead makes both requests then).
  ctx.out.add(scenario, ctx.backend, ctx.run, "limit: fake provider (wrk, 50 conns)",
              format(provider.per_second, 0, "req/s"));
  ctx.out.add(scenario, ctx.backend, ctx.run, "burst / provider capacity (posts)",
              format(100.0 * burst_rate / std::max(provider.per_second, 1.0), 0, "%"));
  const auto curl = run_curl_loop(service.provider(), messages);
  ctx.out.add(scenario, ctx.backend, ctx.run,
              "limit: bare libcurl client, " + std::to_string(messages) + " posts (50 conns)",
              format(curl.elapsed_ms, 0, "ms"));
  ctx.out.add(scenario, ctx.backend, ctx.run, "bare libcurl client: cores used (with the provider)",
              format(curl.cpu_ms / std::max(curl.elapsed_ms, 1.0), 2, ""));
  // Beside the service's `sending` CPU per message: what the same posts cost a client that does
  // nothing else.
  ctx.out.add(scenario, ctx.backend, ctx.run, "bare libcurl client: its own CPU per post",
              format(curl.client_cpu_ms * 1000.0 /
                         static_cast<double>(std::max<std::int64_t>(curl.posts, 1)),
                     0, "us"));
  ctx.out.add(scenario, ctx.backend, ctx.run, "drain / bare libcurl client",
              format(drain_ms / std::max(curl.elapsed_ms, 1.0), 1, "x"));
  if (curl.failed > 0 || curl.posts < messages) {
    ctx.out.broken(scenario, ctx.backend, ctx.run,
                   "the bare libcurl client posted " + std::to_string(curl.posts) + " of " +
                       std::to_string(messages) + ", " + std::to_string(curl.failed) + " failed");
  }
}

// Who used the machine's two cores while the burst drained (the steal shows when the hypervisor
// took them away), and what a message cost the service and the database in CPU time; the
// service's, split by its threads: the outbound pool's, the database pool's, CAF's.
void report_cpu(const run_context& ctx, const std::string& scenario, const cpu_split& used,
                std::int64_t messages, double drain_ms) {
  const auto cores = [drain_ms](double ms) { return format(ms / std::max(drain_ms, 1.0), 2, ""); };
  ctx.out.add(scenario, ctx.backend, ctx.run,
              "cores in the drain: service / PostgreSQL / provider / steal / idle",
              cores(used.service_ms) + " / " + cores(used.database_ms) + " / " +
                  cores(used.provider_ms) + " / " + cores(used.steal_ms) + " / " +
                  cores(used.idle_ms));
  const auto per_message = [messages](double ms) {
    return format(ms * 1000.0 / static_cast<double>(std::max<std::int64_t>(messages, 1)), 0, "");
  };
  ctx.out.add(scenario, ctx.backend, ctx.run, "CPU per message in the drain: service / PostgreSQL",
              per_message(used.service_ms) + " / " + per_message(used.database_ms) + " us");
  // The threads are read every 100 ms: a shorter drain (a smoke run's) cannot be split by them.
  const auto other = used.service_ms - used.sending_ms - used.storing_ms - used.actors_ms;
  ctx.out.add(scenario, ctx.backend, ctx.run,
              "service's CPU per message, by thread: sending / storing / actors / other",
              drain_ms < 500
                  ? std::string{"drain too short to split"}
                  : per_message(used.sending_ms) + " / " + per_message(used.storing_ms) + " / " +
                        per_message(used.actors_ms) + " / " + per_message(other) + " us");
}

std::chrono::seconds deadline_for(std::int64_t messages, double per_second) {
  return std::chrono::seconds{
      30 + static_cast<std::int64_t>(static_cast<double>(messages) / per_second)};
}

}  // namespace

void measure_burst(const run_context& ctx, node& service, const remote_user& user,
                   std::int64_t messages, const std::string& scenario) {
  service.provider().reset();
  const cpu_sampler cpu{service.pid()};
  const auto due = domain::system_now_ms() + (ctx.smoke ? 2000 : 5000);
  user.bulks(messages, due, scenario);
  const auto seen = await_delivery(
      service.provider(), messages, [due](const std::string&) { return due; },
      deadline_for(messages, 50));
  check_exactly_once(ctx, scenario, seen, messages);
  const auto drained_at = due + static_cast<std::int64_t>(seen.drain_ms);
  ctx.out.add(scenario, ctx.backend, ctx.run, "messages", std::to_string(messages));
  ctx.out.add(scenario, ctx.backend, ctx.run, "drain (due to last send)",
              format(seen.drain_ms, 0, "ms"), "<= 1000 ms", seen.drain_ms <= 1000);
  ctx.out.add(
      scenario, ctx.backend, ctx.run, "throughput",
      format(static_cast<double>(messages) * 1000.0 / std::max(seen.drain_ms, 1.0), 0, "msg/s"));
  report_lateness(ctx, scenario, "lateness", seen.lateness_ms, "<= 1000 ms", 1000);
  const auto peak_mb = static_cast<double>(service.peak_rss_kb()) / 1024.0;
  ctx.out.add(scenario, ctx.backend, ctx.run, "service peak RSS (VmHWM)", format(peak_mb, 1, "MB"),
              scenario == "burst" ? "<= 60 MB" : "<= 100 MB",
              peak_mb <= (scenario == "burst" ? 60 : 100));
  report_cpu(ctx, scenario, cpu.between(due, drained_at), messages, seen.drain_ms);
  report_limits(ctx, service, scenario, messages, seen.drain_ms);
}

void run_burst(const run_context& ctx) {
  const std::int64_t messages = ctx.smoke ? 200 : 20000;
  const auto contacts = std::min(messages, bulk_limit);
  node service{{ctx.backend, {std::chrono::milliseconds{0}, 0, contacts}, 50}};
  const remote_user user{service.base_url(), contacts};
  measure_burst(ctx, service, user, messages, "burst");
}

void run_trickle(const run_context& ctx) {
  const std::int64_t messages = ctx.smoke ? 20 : 200;
  constexpr std::int64_t step_ms = 50;
  node service{{ctx.backend, {}, 50}};
  const remote_user user{service.base_url(), 45};
  const auto first_due = domain::system_now_ms() + 2000;
  for (std::int64_t i = 0; i < messages; ++i) {
    const auto created =
        user.call("POST", "/api/scheduled-messages",
                  user.message_to(static_cast<std::size_t>(i) % user.contacts().size(),
                                  "trickle " + std::to_string(i), first_due + i * step_ms));
    if (created.status != 201) {
      ctx.out.broken("trickle", ctx.backend, ctx.run, "create answered " + created.body);
      return;
    }
  }
  const auto seen = await_delivery(
      service.provider(), messages,
      [&](const std::string& text) { return first_due + std::stoll(text.substr(8)) * step_ms; },
      std::chrono::seconds{60});
  check_exactly_once(ctx, "trickle", seen, messages);
  report_lateness(ctx, "trickle", "pickup lateness", seen.pickup_ms, "<= 10 ms", 10);
}

void run_retry(const run_context& ctx) {
  const std::int64_t messages = ctx.smoke ? 100 : 2000;
  node service{{ctx.backend, {std::chrono::milliseconds{0}, 10, messages}, 50}};
  const remote_user user{service.base_url(), messages};
  const auto due = domain::system_now_ms() + 3000;
  user.bulks(messages, due, "retry");
  const auto seen = await_delivery(
      service.provider(), messages, [due](const std::string&) { return due; },
      deadline_for(messages, 20));
  check_exactly_once(ctx, "retry", seen, messages);
  const auto expected_attempts = messages + messages / 10;
  ctx.out.add("retry", ctx.backend, ctx.run, "send attempts", std::to_string(seen.attempts),
              "= " + std::to_string(expected_attempts), seen.attempts == expected_attempts);
  if (seen.attempts != expected_attempts) {
    ctx.out.broken(
        "retry", ctx.backend, ctx.run,
        std::to_string(seen.attempts) + " attempts, expected " + std::to_string(expected_attempts));
  }
  ctx.out.add("retry", ctx.backend, ctx.run, "drain (due to last send)",
              format(seen.drain_ms, 0, "ms"));
}

void run_slow_provider(const run_context& ctx) {
  const std::int64_t messages = ctx.smoke ? 100 : 5000;
  // The delay is the post's, so a send takes it whether its chat was looked up ahead or not.
  const std::chrono::milliseconds per_send{ctx.smoke ? 20 : 200};
  const auto contacts = std::min(messages, bulk_limit);
  node service{{ctx.backend, {per_send, 0, contacts}, 50}};
  const remote_user user{service.base_url(), contacts};
  const auto due = domain::system_now_ms() + 3000;
  user.bulks(messages, due, "slow");
  const auto seen = await_delivery(
      service.provider(), messages, [due](const std::string&) { return due; },
      deadline_for(messages, 50));
  check_exactly_once(ctx, "slow", seen, messages);
  const double ceiling = 50.0 * 1000.0 / static_cast<double>(per_send.count());
  const double rate = static_cast<double>(messages) * 1000.0 / std::max(seen.drain_ms, 1.0);
  ctx.out.add("slow", ctx.backend, ctx.run, "throughput", format(rate, 0, "msg/s"));
  ctx.out.add("slow", ctx.backend, ctx.run,
              "share of the ceiling (" + format(ceiling, 0, "/s") + ")",
              format(100.0 * rate / ceiling, 0, "%"));
}

}  // namespace schedulerd::bench
