#include "http/status.hpp"

#include <caf/sec.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>

using namespace schedulerd;

TEST_CASE("every error code maps to the status and envelope code of the contract",
          "[http][status]") {
  struct row {
    errc code;
    int status;
    const char* envelope_code;
  };
  const auto table = std::to_array<row>({
      {errc::bad_request, 400, "bad_request"},
      {errc::unauthenticated, 401, "unauthenticated"},
      {errc::forbidden, 403, "forbidden"},
      {errc::not_found, 404, "not_found"},
      {errc::method_not_allowed, 405, "method_not_allowed"},
      {errc::conflict, 409, "conflict"},
      {errc::payload_too_large, 413, "payload_too_large"},
      {errc::unsupported_media_type, 415, "unsupported_media_type"},
      {errc::invalid_input, 422, "validation_failed"},
      {errc::rate_limited, 429, "rate_limited"},
      {errc::internal, 500, "internal"},
      {errc::upstream_failed, 502, "upstream_failed"},
      {errc::unavailable, 503, "unavailable"},
      {errc::uri_too_long, 414, "uri_too_long"},
      {errc::headers_too_large, 431, "headers_too_large"},
  });
  for (const auto& expected : table) {
    auto res = http::error_response(expected.code);
    INFO(expected.envelope_code);
    CHECK(res.status == expected.status);
    auto body = nlohmann::json::parse(res.body);
    CHECK(body["error"]["code"] == expected.envelope_code);
    CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
    CHECK(res.header("content-type") == "application/json; charset=utf-8");
  }
}

TEST_CASE("the statuses the edge answers have their standard reason phrases", "[http][status]") {
  CHECK(http::reason_phrase(413) == "Payload Too Large");
  CHECK(http::reason_phrase(414) == "URI Too Long");
  CHECK(http::reason_phrase(431) == "Request Header Fields Too Large");
}

TEST_CASE("validation errors carry the offending fields in details", "[http][status]") {
  auto res = http::error_response(make_validation_error({{"send_at", {"must be in the future"}}}));
  CHECK(res.status == 422);
  auto body = nlohmann::json::parse(res.body);
  CHECK(body["error"]["message"] == "The given data was invalid.");
  CHECK(body["error"]["details"]["send_at"][0] == "must be in the future");
}

TEST_CASE("a custom message replaces the default one", "[http][status]") {
  auto res = http::error_response(make_error(errc::conflict, "The message was already sent."));
  CHECK(nlohmann::json::parse(res.body)["error"]["message"] == "The message was already sent.");
}

TEST_CASE("a timed-out actor request becomes 503 and a foreign error 500", "[http][status]") {
  CHECK(http::error_response(caf::make_error(caf::sec::request_timeout)).status == 503);
  CHECK(http::error_response(caf::make_error(caf::sec::unexpected_message)).status == 500);
}

TEST_CASE("a failure worth retrying says when in Retry-After; a permanent one does not",
          "[http][status]") {
  CHECK(http::error_response(errc::unavailable).header("retry-after") == "1");
  CHECK(http::error_response(errc::upstream_failed).header("retry-after") == "5");
  CHECK(http::error_response(caf::make_error(caf::sec::request_timeout)).header("retry-after") ==
        "1");
  CHECK_FALSE(http::error_response(errc::invalid_input).header("retry-after"));
  CHECK_FALSE(http::error_response(errc::internal).header("retry-after"));
  // A rate limit's wait depends on the budget: the error carries it, not the table.
  CHECK_FALSE(http::error_response(errc::rate_limited).header("retry-after"));
  auto limited = http::error_response(make_rate_limited_error(840));
  CHECK(limited.status == 429);
  CHECK(limited.header("retry-after") == "840");
}
