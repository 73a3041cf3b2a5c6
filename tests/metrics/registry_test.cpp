#include "metrics/registry.hpp"
#include "metrics/text_format.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>
#include <vector>

using namespace schedulerd;

TEST_CASE("a histogram renders cumulative buckets ending in +Inf, then its sum and count",
          "[metrics]") {
  metrics::registry registry;
  auto& latency = registry.add_histogram("req_seconds", "Latency.", {"route"}, {0.1, 0.5, 1});
  auto& health = latency.with({"/api/health"});
  health.observe(0.05);
  health.observe(0.1);  // on the bound: counted in le="0.1"
  health.observe(0.7);
  health.observe(3);

  CHECK(metrics::render(registry.collect()) ==
        "# HELP req_seconds Latency.\n"
        "# TYPE req_seconds histogram\n"
        "req_seconds_bucket{route=\"/api/health\",le=\"0.1\"} 2\n"
        "req_seconds_bucket{route=\"/api/health\",le=\"0.5\"} 2\n"
        "req_seconds_bucket{route=\"/api/health\",le=\"1\"} 3\n"
        "req_seconds_bucket{route=\"/api/health\",le=\"+Inf\"} 4\n"
        "req_seconds_sum{route=\"/api/health\"} 3.85\n"
        "req_seconds_count{route=\"/api/health\"} 4\n");
}

TEST_CASE("the same label values always reach the same series, rendered in label order",
          "[metrics]") {
  metrics::registry registry;
  auto& requests = registry.add_counter("requests_total", "Requests.", {"route", "status"});
  requests.with({"/b", "200"}).add();
  requests.with({"/a", "404"}).add(2);
  requests.with({"/b", "200"}).add();
  auto& depth = registry.add_gauge("depth", "Depth.", {});
  depth.with({}).set(5);
  depth.with({}).add(-1.5);

  CHECK(metrics::render(registry.collect()) ==
        "# HELP requests_total Requests.\n"
        "# TYPE requests_total counter\n"
        "requests_total{route=\"/a\",status=\"404\"} 2\n"
        "requests_total{route=\"/b\",status=\"200\"} 2\n"
        "# HELP depth Depth.\n"
        "# TYPE depth gauge\n"
        "depth 3.5\n");
}

TEST_CASE("a registry refuses invalid names, reserved labels, repeats and unsorted buckets",
          "[metrics]") {
  metrics::registry registry;
  registry.add_counter("ok_total", "Fine.", {"route"});
  CHECK_THROWS_AS(registry.add_counter("ok_total", "Again.", {}), std::invalid_argument);
  CHECK_THROWS_AS(registry.add_gauge("bad-name", "Dash.", {}), std::invalid_argument);
  CHECK_THROWS_AS(registry.add_gauge("g", "Label.", {"le"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.add_gauge("g2", "Label.", {"bad label"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.add_histogram("h", "Bounds.", {}, {1, 0.5}), std::invalid_argument);
  auto& family = registry.add_counter("two_total", "Two labels.", {"a", "b"});
  CHECK_THROWS_AS(family.with({"only one"}), std::invalid_argument);
}

TEST_CASE("increments from many threads at once are all counted, in new and old series alike",
          "[metrics]") {
  metrics::registry registry;
  auto& requests = registry.add_counter("hits_total", "Hits.", {"route"});
  auto& latency = registry.add_histogram("lat_seconds", "Latency.", {"route"}, {1});
  constexpr int threads = 4;
  constexpr int per_thread = 20000;
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        // Each thread creates series of its own while all share one.
        requests.with({"/shared"}).add();
        requests.with({(i % 2 == 0 ? "/even-" : "/odd-") + std::to_string(t)}).add();
        latency.with({"/shared"}).observe(0.5);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  CHECK(requests.with({"/shared"}).value() == std::uint64_t{threads} * per_thread);
  for (int t = 0; t < threads; ++t) {
    CHECK(requests.with({"/even-" + std::to_string(t)}).value() == per_thread / 2);
  }
  const auto text = metrics::render(registry.collect());
  CHECK(text.find("lat_seconds_count{route=\"/shared\"} 80000\n") != std::string::npos);
  CHECK(text.find("lat_seconds_sum{route=\"/shared\"} 40000\n") != std::string::npos);
}
