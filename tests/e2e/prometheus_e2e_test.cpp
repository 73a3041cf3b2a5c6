// A real Prometheus scrapes the real binary and answers queries over what it scraped.

#include "tests/support/child_process.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

using namespace schedulerd;

namespace {

// A Prometheus of its own on a free loopback port, scraping `target` (host:port) every second.
class scraping_prometheus {
 public:
  explicit scraping_prometheus(const std::string& target)
      : port_(testing::free_loopback_port()), process_(start(dir_.path(), target, port_)) {}

  // The result vector of the instant query `promql` (empty while nothing matches).
  [[nodiscard]] nlohmann::json query(const std::string& promql) const {
    auto res =
        testing::get("http://127.0.0.1:" + std::to_string(port_) + "/api/v1/query?query=" + promql);
    if (res.status != 200) {
      return nlohmann::json::array();
    }
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object() || body.value("status", "") != "success") {
      return nlohmann::json::array();
    }
    return body["data"]["result"];
  }

  [[nodiscard]] std::string log() const { return process_.stderr_text(); }

 private:
  static testing::child_process start(const std::filesystem::path& dir, const std::string& target,
                                      std::uint16_t port) {
    std::ofstream{dir / "prometheus.yml"} << "global:\n"
                                             "  scrape_interval: 1s\n"
                                             "  scrape_timeout: 1s\n"
                                             "scrape_configs:\n"
                                             "  - job_name: schedulerd\n"
                                             "    static_configs:\n"
                                             "      - targets: ['"
                                          << target << "']\n";
    return testing::child_process{
        "/usr/bin/prometheus",
        {"--config.file=" + (dir / "prometheus.yml").string(),
         "--storage.tsdb.path=" + (dir / "data").string(),
         "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
        dir};
  }

  testing::scratch_dir dir_;
  std::uint16_t port_;
  testing::child_process process_;
};

}  // namespace

TEST_CASE("a real Prometheus scrapes /metrics and answers a query over the scraped series",
          "[e2e][metrics]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  const auto target = service.base_url().substr(std::string_view{"http://"}.size());
  scraping_prometheus prometheus{target};

  nlohmann::json found;
  const bool scraped = testing::eventually(
      [&] {
        found = prometheus.query("schedulerd_build_info");
        return found.is_array() && !found.empty();
      },
      std::chrono::seconds{10}, std::chrono::milliseconds{100});

  INFO("prometheus log: " << prometheus.log());
  REQUIRE(scraped);
  CHECK(found[0]["metric"].value("version", "") == SCHEDULERD_VERSION);
  CHECK(found[0]["metric"].value("job", "") == "schedulerd");
  // Prometheus' own scrapes are counted by route pattern (from its second scrape on, since a
  // scrape is counted once answered), and it reads them back.
  const bool counted = testing::eventually(
      [&] {
        auto scrapes = prometheus.query("schedulerd_http_requests_total");
        return std::any_of(scrapes.begin(), scrapes.end(), [](const nlohmann::json& series) {
          return series["metric"].value("route", "") == "/metrics";
        });
      },
      std::chrono::seconds{5}, std::chrono::milliseconds{100});
  CHECK(counted);
}
