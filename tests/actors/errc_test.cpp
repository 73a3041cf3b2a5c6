#include "actors/errc.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <string>

using namespace schedulerd;

TEST_CASE("every error code has the one stable name logs and clients see", "[actors][errc]") {
  struct row {
    errc code;
    const char* name;
  };
  const auto table = std::to_array<row>({
      {errc::bad_request, "bad_request"},
      {errc::unauthenticated, "unauthenticated"},
      {errc::forbidden, "forbidden"},
      {errc::not_found, "not_found"},
      {errc::method_not_allowed, "method_not_allowed"},
      {errc::conflict, "conflict"},
      {errc::payload_too_large, "payload_too_large"},
      {errc::unsupported_media_type, "unsupported_media_type"},
      {errc::invalid_input, "validation_failed"},
      {errc::rate_limited, "rate_limited"},
      {errc::internal, "internal"},
      {errc::unavailable, "unavailable"},
      {errc::upstream_failed, "upstream_failed"},
      {errc::uri_too_long, "uri_too_long"},
      {errc::headers_too_large, "headers_too_large"},
  });
  caf::actor_system_config config;
  register_errc_category(config);
  caf::actor_system system{config};
  for (const auto& expected : table) {
    INFO(expected.name);
    CHECK(std::string{to_string(expected.code)} == expected.name);
    CHECK(system.render(make_error(expected.code)) == expected.name);
    CHECK(system.render(make_error(expected.code, "details")) ==
          std::string{expected.name} + ": details");
  }
}

TEST_CASE("an unknown code is named internal rather than garbage", "[actors][errc]") {
  CHECK(std::string{to_string(static_cast<errc>(200))} == "internal");
}

TEST_CASE("a domain failure keeps its code and message as a CAF error", "[actors][errc]") {
  const auto carried = to_expected(domain::outcome<int>{domain::failure{errc::conflict, "taken"}});
  REQUIRE_FALSE(carried);
  CHECK(describe(carried.error()).code == errc::conflict);
  CHECK(describe(carried.error()).message == "taken");
  const auto value = to_expected(domain::outcome<int>{7});
  REQUIRE(value);
  CHECK(*value == 7);
}
