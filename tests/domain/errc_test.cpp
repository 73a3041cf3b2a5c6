#include "domain/errc.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>

using schedulerd::domain::errc;

TEST_CASE("only failures that may pass on a later attempt are retryable", "[domain][errc]") {
  using namespace std::chrono_literals;
  struct row {
    errc code;
    bool retryable;
    std::optional<std::chrono::seconds> hint;
  };
  const auto table = std::to_array<row>({
      {errc::bad_request, false, std::nullopt},
      {errc::unauthenticated, false, std::nullopt},
      {errc::forbidden, false, std::nullopt},
      {errc::not_found, false, std::nullopt},
      {errc::method_not_allowed, false, std::nullopt},
      {errc::conflict, false, std::nullopt},
      {errc::payload_too_large, false, std::nullopt},
      {errc::unsupported_media_type, false, std::nullopt},
      {errc::invalid_input, false, std::nullopt},
      {errc::rate_limited, true, std::nullopt},
      {errc::internal, false, std::nullopt},
      {errc::unavailable, true, 1s},
      {errc::upstream_failed, true, 5s},
      {errc::uri_too_long, false, std::nullopt},
      {errc::headers_too_large, false, std::nullopt},
  });
  for (const auto& expected : table) {
    INFO(to_string(expected.code));
    CHECK(retryable(expected.code) == expected.retryable);
    CHECK(retry_after_hint(expected.code) == expected.hint);
  }
}

TEST_CASE("an unknown code is neither retryable nor given a wait", "[domain][errc]") {
  const auto unknown = static_cast<errc>(200);
  CHECK(std::string{to_string(unknown)} == "internal");
  CHECK_FALSE(retryable(unknown));
  CHECK_FALSE(retry_after_hint(unknown));
}
