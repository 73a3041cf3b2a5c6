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

TEST_CASE("HEAD finds the GET route of a path, with its parameters", "[http][router]") {
  auto routes = sample_routes();
  auto found = routes.find("HEAD", "/api/scheduled-messages/7");
  REQUIRE(found.matched != nullptr);
  CHECK(found.matched->method == "GET");
  CHECK(found.matched->pattern == "/api/scheduled-messages/{id}");
  CHECK(found.params.at("id") == "7");
  CHECK(found.allowed_methods.empty());
}

TEST_CASE("HEAD on a path without GET is not allowed, and a HEAD route of its own wins",
          "[http][router]") {
  auto routes = sample_routes();
  routes.add("POST", "/api/imports", {}, {});
  auto post_only = routes.find("HEAD", "/api/imports");
  CHECK(post_only.matched == nullptr);
  CHECK(post_only.allowed_methods == std::vector<std::string>{"POST"});

  routes.add("HEAD", "/api/scheduled-messages", {}, {access::open});
  auto own = routes.find("HEAD", "/api/scheduled-messages");
  REQUIRE(own.matched != nullptr);
  CHECK(own.matched->method == "HEAD");
}

TEST_CASE("the largest body limit is the largest any route accepts", "[http][router]") {
  CHECK(router{}.largest_body_limit() == route_options{}.body_limit);
  auto routes = sample_routes();
  CHECK(routes.largest_body_limit() == route_options{}.body_limit);
  routes.add("PUT", "/api/uploads", {}, {access::authenticated, std::size_t{5} << 20U});
  CHECK(routes.largest_body_limit() == std::size_t{5} << 20U);
}
