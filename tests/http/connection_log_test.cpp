#include "http/connection_log.hpp"

#include "tests/e2e/service_logs.hpp"
#include "tests/support/captured_log.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd;

namespace {

constexpr http::parser_limits limits{65536, 2097152};

}  // namespace

TEST_CASE("a library line about a known connection names its client and what the reason means",
          "[http][connection_log]") {
  testing::captured_log captured;
  http::connection_log log{captured.logger(), 8, limits};
  log.opened(7, "192.0.2.10");

  log.library_problem(
      "[connection:7] parser error HPE_CB_headers_complete: the on_headers_complete callback "
      "failed");

  auto lines = testing::events_named(captured.text(), "http_connection_error");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["level"] == "warn");
  CHECK(lines[0]["client"] == "192.0.2.10");
  CHECK(lines[0]["connection"] == 7);
  CHECK(lines[0]["reason"] ==
        "parser error HPE_CB_headers_complete: the on_headers_complete callback failed (body "
        "over 2097152 bytes)");
}

TEST_CASE("a library line about a closed connection or none at all is still logged",
          "[http][connection_log]") {
  testing::captured_log captured;
  http::connection_log log{captured.logger(), 8, limits};
  log.opened(3, "192.0.2.10");
  log.closed(3);

  log.library_problem("[connection: 3] try to write response, while socket is closed");
  log.library_problem("failed to accept connection on socket #0: Too many open files");
  log.library_problem("[connection:x] not a connection id");

  auto lines = testing::events_named(captured.text(), "http_connection_error");
  REQUIRE(lines.size() == 3);
  CHECK_FALSE(lines[0].contains("client"));
  CHECK(lines[0]["connection"] == 3);
  CHECK(lines[0]["reason"] == "try to write response, while socket is closed");
  CHECK_FALSE(lines[1].contains("connection"));
  CHECK(lines[1]["reason"] == "failed to accept connection on socket #0: Too many open files");
  CHECK(lines[2]["reason"] == "[connection:x] not a connection id");
}

TEST_CASE("parser refusals are explained by the limit they hit", "[http][connection_log]") {
  testing::captured_log captured;
  http::connection_log log{captured.logger(), 8, limits};
  log.library_problem("[connection:1] parser error HPE_CB_url: the on_url callback failed");
  log.library_problem(
      "[connection:2] parser error HPE_CB_header_value: the on_header_value callback failed");
  log.library_problem("[connection:3] parser error HPE_INVALID_METHOD: invalid HTTP method");

  auto lines = testing::events_named(captured.text(), "http_connection_error");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["reason"].get<std::string>().find("(request target over 65536 bytes)") !=
        std::string::npos);
  CHECK(lines[1]["reason"].get<std::string>().find("(header field over 65536 bytes)") !=
        std::string::npos);
  CHECK(lines[2]["reason"] == "parser error HPE_INVALID_METHOD: invalid HTTP method");
}

TEST_CASE("reaching the connection cap is logged once until the load has clearly dropped",
          "[http][connection_log]") {
  testing::captured_log captured;
  http::connection_log log{captured.logger(), 20, limits};
  const auto warnings = [&captured] {
    return testing::events_named(captured.text(), "http_connection_limit_reached").size();
  };
  for (std::uint64_t id = 1; id <= 19; ++id) {
    log.opened(id, "192.0.2.1");
  }
  CHECK(warnings() == 0);
  log.opened(20, "192.0.2.99");
  REQUIRE(warnings() == 1);
  auto line = testing::events_named(captured.text(), "http_connection_limit_reached").front();
  CHECK(line["level"] == "warn");
  CHECK(line["max_connections"] == 20);
  CHECK(line["client"] == "192.0.2.99");

  log.closed(20);
  log.opened(21, "192.0.2.1");  // a slot freed and taken again: no new line
  CHECK(warnings() == 1);
  log.closed(21);
  log.closed(19);  // a tenth below the cap
  log.opened(22, "192.0.2.1");
  log.opened(23, "192.0.2.1");
  CHECK(warnings() == 2);
}
