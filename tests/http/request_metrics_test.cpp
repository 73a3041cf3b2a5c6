#include "http/request_metrics.hpp"
#include "metrics/text_format.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd;

TEST_CASE("request metrics label unmatched routes and unusual methods with one value each",
          "[http][metrics]") {
  auto registry = std::make_shared<metrics::registry>();
  http::request_metrics requests{registry};
  requests.record("", "BREW", 404, std::chrono::milliseconds{3}, std::nullopt);
  requests.record("", "PROPFIND", 404, std::chrono::milliseconds{3}, std::nullopt);
  requests.record("/api/health", "HEAD", 200, std::chrono::milliseconds{30}, std::nullopt);

  const auto text = metrics::render(registry->collect());

  INFO(text);
  CHECK(text.find("schedulerd_http_requests_total{route=\"unmatched\",method=\"other\","
                  "status=\"404\"} 2\n") != std::string::npos);
  CHECK(text.find("schedulerd_http_requests_total{route=\"/api/health\",method=\"HEAD\","
                  "status=\"200\"} 1\n") != std::string::npos);
  CHECK(text.find("schedulerd_http_request_duration_seconds_bucket{route=\"/api/health\","
                  "le=\"0.025\"} 0\n") != std::string::npos);
  CHECK(text.find("schedulerd_http_request_duration_seconds_bucket{route=\"/api/health\","
                  "le=\"0.05\"} 1\n") != std::string::npos);
}

TEST_CASE("a 429 is put down to the budget that refused it", "[http][metrics]") {
  CHECK(http::rate_limited_scope(true, http::access::open, false) == "ip");
  CHECK(http::rate_limited_scope(true, http::access::auth_endpoint, false) == "auth");
  CHECK(http::rate_limited_scope(true, http::access::authenticated, true) == "token");
  // A wrong token spends the client address's budget.
  CHECK(http::rate_limited_scope(true, http::access::authenticated, false) == "ip");
  CHECK(http::rate_limited_scope(false, http::access::auth_endpoint, false) == "account");
}
