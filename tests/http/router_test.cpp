#include "http/router.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::http;

namespace {

router sample_routes() {
  router routes;
  routes.add("GET", "/api/scheduled-messages", {}, {});
  routes.add("POST", "/api/scheduled-messages", {}, {});
  routes.add("POST", "/api/scheduled-messages/bulk", {}, {});
  routes.add("GET", "/api/scheduled-messages/{id}", {}, {});
  routes.add("DELETE", "/api/scheduled-messages/{id}", {}, {});
  routes.add("GET", "/api/providers/{id}/contacts", {}, {});
  return routes;
}

}  // namespace

TEST_CASE("a route with placeholders captures decoded parameters", "[http][router]") {
  auto routes = sample_routes();
  auto found = routes.find("GET", "/api/providers/a%20b/contacts");
  REQUIRE(found.matched != nullptr);
  CHECK(found.matched->pattern == "/api/providers/{id}/contacts");
  CHECK(found.params.at("id") == "a b");
}

TEST_CASE("a literal route is found before a placeholder route of the same shape",
          "[http][router]") {
  auto routes = sample_routes();
  auto found = routes.find("POST", "/api/scheduled-messages/bulk");
  REQUIRE(found.matched != nullptr);
  CHECK(found.matched->pattern == "/api/scheduled-messages/bulk");
}

TEST_CASE("a known path under another method lists the allowed methods", "[http][router]") {
  auto routes = sample_routes();
  auto found = routes.find("PATCH", "/api/scheduled-messages/7");
  CHECK(found.matched == nullptr);
  CHECK(found.allowed_methods == std::vector<std::string>{"GET", "DELETE"});
}

TEST_CASE("an unknown path matches nothing and allows nothing", "[http][router]") {
  auto routes = sample_routes();
  for (const auto* path : {"/api/nothing", "/api/scheduled-messages/7/extra", "/", ""}) {
    auto found = routes.find("GET", path);
    CHECK(found.matched == nullptr);
    CHECK(found.allowed_methods.empty());
  }
}

TEST_CASE("a trailing slash reaches the same route", "[http][router]") {
  auto routes = sample_routes();
  CHECK(routes.find("GET", "/api/scheduled-messages/").matched != nullptr);
}
