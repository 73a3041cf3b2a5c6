#include "bench/support/http_scenarios.hpp"

#include "bench/support/node.hpp"
#include "bench/support/remote_user.hpp"
#include "bench/support/wrk.hpp"
#include "domain/clock.hpp"

#include <algorithm>

namespace schedulerd::bench {

namespace {

constexpr int connections = 50;
constexpr std::int64_t one_day_ms = 24LL * 3600 * 1000;

std::chrono::seconds wrk_duration(const run_context& ctx) {
  return std::chrono::seconds{ctx.smoke ? 1 : 5};
}

// Adds a wrk run's rate, p99 and errors under `name`; answers its rate.
double report_wrk(const run_context& ctx, const std::string& scenario, const std::string& name,
                  const wrk_result& result) {
  ctx.out.add(scenario, ctx.backend, ctx.run, name + " rate",
              format(result.per_second, 0, "req/s"));
  ctx.out.add(scenario, ctx.backend, ctx.run, name + " p99", format(result.p99_ms, 1, "ms"));
  if (result.errors > 0) {
    ctx.out.add(
        scenario, ctx.backend, ctx.run, name + " errors (non-2xx, socket)",
        std::to_string(result.errors) + " of " + std::to_string(result.requests) +
            (result.socket_errors.empty() ? "" : " (socket: " + result.socket_errors + ")"));
  }
  return result.per_second;
}

// Runs `wrk` on `GET path` for the scenario's time and adds its figures under `name`; answers
// its rate.
double measure_get(const run_context& ctx, const remote_user& user, const std::string& scenario,
                   const std::string& name, const std::string& path) {
  return report_wrk(ctx, scenario, name,
                    run_wrk(wrk_as(user, "GET", path), connections, wrk_duration(ctx)));
}

}  // namespace

void run_creation(const run_context& ctx) {
  const std::int64_t recipients = ctx.smoke ? 100 : 10000;
  node service{{ctx.backend, {std::chrono::milliseconds{0}, 0, recipients}, 50}};
  const remote_user user{service.base_url(), recipients};
  const auto due = domain::system_now_ms() + one_day_ms;

  const auto before = std::chrono::steady_clock::now();
  user.bulk(0, static_cast<std::size_t>(recipients), "creation bulk", due);
  const double bulk_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before).count();
  ctx.out.add("creation", ctx.backend, ctx.run,
              "bulk of " + std::to_string(recipients) + " accepted in", format(bulk_ms, 0, "ms"),
              "<= 250 ms", bulk_ms <= 250);

  const auto singles =
      run_wrk(wrk_as(user, "POST", "/api/scheduled-messages", user.message_to(0, "single", due)),
              connections, wrk_duration(ctx));
  ctx.out.add("creation", ctx.backend, ctx.run, "single creates (50 conns) rate",
              format(singles.per_second, 0, "msg/s"), ">= 5000/s", singles.per_second >= 5000);
  ctx.out.add("creation", ctx.backend, ctx.run, "single creates p99",
              format(singles.p99_ms, 1, "ms"), "<= 50 ms", singles.p99_ms <= 50);
  if (singles.errors > 0 || singles.requests == 0) {
    ctx.out.broken("creation", ctx.backend, ctx.run,
                   std::to_string(singles.errors) + " of " + std::to_string(singles.requests) +
                       " single creates failed");
  }
  // The limits beside them, on the same server in the same run: the cheapest route, and the
  // cheapest one that authenticates its caller, as every create does first.
  const auto ceiling = measure_get(ctx, user, "creation", "limit: GET /api/health", "/api/health");
  const auto authenticated =
      measure_get(ctx, user, "creation", "limit: GET /api/auth/me", "/api/auth/me");
  const auto share = [&](double limit) {
    return format(100.0 * singles.per_second / std::max(limit, 1.0), 0, "%");
  };
  ctx.out.add("creation", ctx.backend, ctx.run, "single creates / health", share(ceiling));
  ctx.out.add("creation", ctx.backend, ctx.run, "single creates / auth/me", share(authenticated));
}

void run_api(const run_context& ctx) {
  const std::int64_t rows = ctx.smoke ? 1000 : 100000;
  const std::int64_t contacts = ctx.smoke ? 100 : 10000;
  node service{{ctx.backend, {std::chrono::milliseconds{0}, 0, contacts}, 50}};
  const remote_user user{service.base_url(), contacts};
  user.bulks(rows, domain::system_now_ms() + one_day_ms, "api");
  ctx.out.add("api", ctx.backend, ctx.run, "messages of the user", std::to_string(rows));

  const auto ceiling = measure_get(ctx, user, "api", "GET /api/health (ceiling)", "/api/health");
  const auto me = measure_get(ctx, user, "api", "GET /api/auth/me", "/api/auth/me");
  const auto list = measure_get(ctx, user, "api", "GET /api/scheduled-messages?per_page=25",
                                "/api/scheduled-messages?per_page=25");
  const auto share = [ceiling](double rate) { return 100.0 * rate / std::max(ceiling, 1.0); };
  ctx.out.add("api", ctx.backend, ctx.run, "auth/me / ceiling", format(share(me), 0, "%"),
              ">= 50 %", share(me) >= 50);
  ctx.out.add("api", ctx.backend, ctx.run, "list / ceiling", format(share(list), 0, "%"), ">= 20 %",
              share(list) >= 20);
}

}  // namespace schedulerd::bench
