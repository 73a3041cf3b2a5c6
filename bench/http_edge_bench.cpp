// Measures the HTTP path end to end on loopback: RESTinio, the edge, the bridge actor, the
// handler actor and, for /api/auth/me, the authenticator's database lookup on SQLite.

#include "app/service.hpp"
#include "providers/http_client.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

using namespace schedulerd;
using clock_type = std::chrono::steady_clock;

namespace {

struct figures {
  double per_second;
  double p50_us;
  double p99_us;
  int failures;
};

figures hammer(const providers::outbound_request& request, int threads, int per_thread) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::atomic<int> failures{0};
  auto started = clock_type::now();
  std::vector<std::thread> clients;
  clients.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      auto& mine = latencies[static_cast<std::size_t>(t)];
      for (int i = 0; i < per_thread; ++i) {
        auto before = clock_type::now();
        auto res = providers::send(request);
        mine.push_back(
            std::chrono::duration<double, std::micro>(clock_type::now() - before).count());
        if (res.status != 200) {
          ++failures;
        }
      }
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  double seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  std::vector<double> all;
  for (auto& part : latencies) {
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end());
  return {static_cast<double>(all.size()) / seconds, all[all.size() / 2],
          all[all.size() * 99 / 100], failures.load()};
}

int run() {
  providers::init_http_client();
  auto directory = std::filesystem::temp_directory_path() / "schedulerd-bench";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  config::service_config settings;
  settings.http_port = 0;
  settings.database_url = "sqlite://" + (directory / "bench.db").string();
  settings.rate_limit_per_minute = 100000000;
  settings.rate_limit_auth_per_minute = 100000000;
  settings.argon2 = domain::argon2_params{1024, 1, 1};
  auto logger = std::make_shared<log::logger>(log::level::error, log::format::json);
  app::service running{settings, logger};

  providers::outbound_request registration;
  registration.method = "POST";
  registration.url = running.base_url() + "/api/auth/register";
  registration.headers = {{"content-type", "application/json"}};
  registration.body = R"({"name":"Bench","email":"bench@example.com","password":"benchmark-pass"})";
  auto token =
      nlohmann::json::parse(providers::send(registration).body)["token"].get<std::string>();

  providers::outbound_request health;
  health.url = running.base_url() + "/api/health";
  providers::outbound_request me;
  me.url = running.base_url() + "/api/auth/me";
  me.headers = {{"authorization", "Bearer " + token}};

  constexpr int threads = 4;
  constexpr int per_thread = 2000;
  std::printf("%-28s %12s %10s %10s %9s\n", "endpoint (4 clients)", "requests/s", "p50 us",
              "p99 us", "failures");
  for (const auto& [name, request] :
       {std::pair{"GET /api/health", health}, std::pair{"GET /api/auth/me (bearer)", me}}) {
    hammer(request, threads, 200);  // warm up connections and caches
    auto result = hammer(request, threads, per_thread);
    std::printf("%-28s %12.0f %10.0f %10.0f %9d\n", name, result.per_second, result.p50_us,
                result.p99_us, result.failures);
  }
  running.stop(std::chrono::seconds{1});
  std::filesystem::remove_all(directory);
  return 0;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& ex) {
    std::cerr << "http_edge_bench: " << ex.what() << '\n';
    return 1;
  }
}
