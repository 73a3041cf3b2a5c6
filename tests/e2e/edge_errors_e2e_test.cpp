// Requests the HTTP edge refuses get the documented status and error envelope from the real
// binary, and none of them hurts the service.

#include "tests/support/http_test_client.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace schedulerd;

namespace {

// A JSON route open to anonymous callers, so the edge's body checks run before any auth.
constexpr const char* json_route = "/api/auth/login";

struct refused_request {
  std::string what;
  std::string method;
  std::string path;
  std::string body;
  http::header_list headers;
  int status;
  std::string code;
};

void check_envelope(const providers::outbound_response& res, int status, const std::string& code) {
  INFO("status " << res.status << ", body: " << res.body);
  REQUIRE(res.status == status);
  CHECK(res.header("content-type").value_or("").substr(0, 16) == "application/json");
  CHECK_FALSE(res.header("x-request-id").value_or("").empty());
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  REQUIRE(body.is_object());
  REQUIRE(body.contains("error"));
  CHECK(body["error"].value("code", "") == code);
  CHECK_FALSE(body["error"].value("message", "").empty());
}

}  // namespace

TEST_CASE("refused requests get the error envelope and leave the service healthy", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  const std::string over_limit((std::size_t{1} << 20U) + 1, ' ');

  const std::vector<refused_request> cases{
      {"an unknown path", "GET", "/api/no-such-thing", "", {}, 404, "not_found"},
      {"a path outside /api", "GET", "/nowhere", "", {}, 404, "not_found"},
      {"a body over 1 MiB on a routed path",
       "GET",
       "/api/health",
       over_limit,
       {},
       413,
       "payload_too_large"},
      {"a body over 1 MiB on a JSON route",
       "POST",
       json_route,
       over_limit,
       {{"content-type", "application/json"}},
       413,
       "payload_too_large"},
      {"a text/plain body on a JSON route",
       "POST",
       json_route,
       "email=a@b.c",
       {{"content-type", "text/plain"}},
       415,
       "unsupported_media_type"},
      {"a body without a content type on a JSON route",
       "POST",
       json_route,
       "{}",
       {},
       415,
       "unsupported_media_type"},
      {"malformed JSON on a JSON route",
       "POST",
       json_route,
       R"({"email": "a@b.c",)",
       {{"content-type", "application/json"}},
       400,
       "bad_request"},
      {"a request target over 8 KiB",
       "GET",
       "/api/health?q=" + std::string(std::size_t{9} << 10U, 'q'),
       "",
       {},
       414,
       "uri_too_long"},
      {"a header section over 16 KiB",
       "GET",
       "/api/health",
       "",
       {{"x-padding", std::string(std::size_t{17} << 10U, 'p')}},
       431,
       "headers_too_large"},
  };
  for (const auto& c : cases) {
    INFO(c.what << ": " << c.method << " " << c.path);
    check_envelope(testing::call(c.method, service.base_url() + c.path, c.body, c.headers),
                   c.status, c.code);
  }

  auto health = testing::get(service.base_url() + "/api/health");
  CHECK(health.status == 200);
}

TEST_CASE("a method a path does not support is 405 with an Allow header", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};

  auto res = testing::call("DELETE", service.base_url() + "/api/health");

  check_envelope(res, 405, "method_not_allowed");
  CHECK(res.header("allow").value_or("") == "GET");
  CHECK(testing::get(service.base_url() + "/api/health").status == 200);
}
