#include "http/edge.hpp"

#include "actors/errc.hpp"
#include "http/reply.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <future>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

caf::actor_system_config& test_config() {
  static caf::actor_system_config cfg = [] {
    caf::actor_system_config c;
    register_errc_category(c);
    return c;
  }();
  return cfg;
}

// Answers with what it saw, so tests can tell what reached the handler.
http::handler_actor::behavior_type echo_handler() {
  return {[](http::request& req) {
            return http::json_response(200, nlohmann::json{{"method", req.method},
                                                           {"path", req.path},
                                                           {"params", req.path_params},
                                                           {"user_id", req.user_id},
                                                           {"body", req.body}});
          },
          // Every handler answers the directory's probe.
          [](get_atom, mailbox_atom) { return actors::actor_probe{}; }};
}

actors::authenticator_actor::behavior_type token_checker() {
  return {[](authenticate_atom, const std::string& token) -> caf::result<actors::principal> {
    if (token == "good") {
      return actors::principal{42, 7};
    }
    return make_error(errc::unauthenticated);
  }};
}

// Allows two requests per key, then refuses.
actors::rate_limiter_actor::behavior_type two_per_key(
    actors::rate_limiter_actor::stateful_pointer<std::map<std::string, int>> self) {
  return {[self](limit_atom, const std::string& key, int) {
    int used = ++self->state[key];
    return actors::rate_decision{used <= 2, 2, std::max(0, 2 - used), 60};
  }};
}

struct fixture {
  caf::actor_system system{test_config()};
  std::shared_ptr<log::logger> logger =
      std::make_shared<log::logger>(log::level::error, log::format::json);
  http::handler_actor echo = system.spawn(echo_handler);

  http::edge make_edge(http::edge_settings settings = {}) {
    http::router routes;
    routes.add("GET", "/api/open", echo, {http::access::open});
    routes.add("POST", "/api/items", echo, {http::access::open, 16});
    routes.add("GET", "/api/items/{id}", echo, {http::access::authenticated});
    return http::edge{system, std::move(routes), std::move(settings), logger};
  }

  fixture() = default;
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;

  ~fixture() { caf::anon_send_exit(echo, caf::exit_reason::user_shutdown); }
};

http::response call(http::edge& pipeline, http::request req) {
  auto answer = std::make_shared<std::promise<http::response>>();
  auto future = answer->get_future();
  pipeline.handle(std::move(req), [answer](const http::response& res) { answer->set_value(res); });
  REQUIRE(future.wait_for(5s) == std::future_status::ready);
  return future.get();
}

http::request make_request(std::string method, std::string path, std::string body = {}) {
  http::request req;
  req.method = std::move(method);
  req.path = std::move(path);
  req.body = std::move(body);
  req.client_address = "127.0.0.1";
  if (!req.body.empty()) {
    req.headers.emplace_back("content-type", "application/json");
  }
  return req;
}

std::string error_code(const http::response& res) {
  return nlohmann::json::parse(res.body)["error"]["code"];
}

}  // namespace

TEST_CASE_METHOD(fixture, "a routed request reaches its handler with its parameters",
                 "[http][edge]") {
  auto pipeline = make_edge();
  auto res = call(pipeline, make_request("GET", "/api/open"));
  CHECK(res.status == 200);
  CHECK(nlohmann::json::parse(res.body)["path"] == "/api/open");
}

TEST_CASE_METHOD(fixture, "every response carries a request id and security headers",
                 "[http][edge]") {
  auto pipeline = make_edge();
  auto res = call(pipeline, make_request("GET", "/api/nowhere"));
  CHECK(res.header("x-request-id").value_or("").size() == 20);
  CHECK(res.header("x-content-type-options") == "nosniff");
  CHECK(res.header("cache-control") == "no-store");
  auto traced = make_request("GET", "/api/open");
  traced.headers.emplace_back("x-request-id", "trace-123");
  CHECK(call(pipeline, traced).header("x-request-id") == "trace-123");
  auto hostile = make_request("GET", "/api/open");
  hostile.headers.emplace_back("x-request-id", "bad\r\nheader");
  CHECK(call(pipeline, hostile).header("x-request-id") != "bad\r\nheader");
}

TEST_CASE_METHOD(fixture, "unknown paths, wrong methods, big and non-JSON bodies are refused",
                 "[http][edge]") {
  auto pipeline = make_edge();
  auto missing = call(pipeline, make_request("GET", "/api/nowhere"));
  CHECK(missing.status == 404);
  CHECK(error_code(missing) == "not_found");

  auto wrong_method = call(pipeline, make_request("DELETE", "/api/open"));
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.header("allow") == "GET");
  CHECK(error_code(wrong_method) == "method_not_allowed");

  auto too_big = call(pipeline, make_request("POST", "/api/items", std::string(17, ' ')));
  CHECK(too_big.status == 413);
  CHECK(error_code(too_big) == "payload_too_large");

  auto form = make_request("POST", "/api/items", "a=1");
  form.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  auto wrong_type = call(pipeline, form);
  CHECK(wrong_type.status == 415);
  CHECK(error_code(wrong_type) == "unsupported_media_type");

  auto malformed = call(pipeline, make_request("POST", "/api/items", "{\"a\":"));
  CHECK(malformed.status == 400);
  CHECK(error_code(malformed) == "bad_request");

  auto charset = make_request("POST", "/api/items", "{}");
  charset.headers = {{"content-type", "Application/JSON; charset=utf-8"}};
  CHECK(call(pipeline, charset).status == 200);
}

TEST_CASE_METHOD(fixture, "authenticated routes need a valid bearer token", "[http][edge]") {
  http::edge_settings settings;
  settings.authenticator = system.spawn(token_checker);
  auto pipeline = make_edge(settings);
  CHECK(call(pipeline, make_request("GET", "/api/items/1")).status == 401);
  auto bad = make_request("GET", "/api/items/1");
  bad.headers.emplace_back("authorization", "Bearer wrong");
  CHECK(call(pipeline, bad).status == 401);
  auto good = make_request("GET", "/api/items/1");
  good.headers.emplace_back("authorization", "Bearer good");
  auto res = call(pipeline, good);
  CHECK(res.status == 200);
  CHECK(nlohmann::json::parse(res.body)["user_id"] == 42);
  caf::anon_send_exit(settings.authenticator, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "a spent budget answers 429 with Retry-After and rate headers",
                 "[http][edge]") {
  http::edge_settings settings;
  settings.rate_limiter = system.spawn(two_per_key);
  auto pipeline = make_edge(settings);
  auto first = call(pipeline, make_request("GET", "/api/open"));
  CHECK(first.header("x-ratelimit-limit") == "2");
  CHECK(first.header("x-ratelimit-remaining") == "1");
  CHECK(call(pipeline, make_request("GET", "/api/open")).status == 200);
  auto refused = call(pipeline, make_request("GET", "/api/open"));
  CHECK(refused.status == 429);
  CHECK(refused.header("retry-after") == "60");
  CHECK(error_code(refused) == "rate_limited");
  caf::anon_send_exit(settings.rate_limiter, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "CORS preflights are answered and only allowed origins are echoed",
                 "[http][edge]") {
  http::edge_settings settings;
  settings.cors_allowed_origins = {"https://app.example.com"};
  auto pipeline = make_edge(settings);
  auto preflight = make_request("OPTIONS", "/api/items/3");
  preflight.headers = {{"origin", "https://app.example.com"},
                       {"access-control-request-method", "GET"}};
  auto res = call(pipeline, preflight);
  CHECK(res.status == 204);
  CHECK(res.header("access-control-allow-origin") == "https://app.example.com");
  CHECK(res.header("access-control-allow-methods") == "GET");

  preflight.headers[0].second = "https://evil.example.com";
  auto refused = call(pipeline, preflight);
  CHECK(refused.status == 204);
  CHECK_FALSE(refused.header("access-control-allow-origin"));

  auto simple = make_request("GET", "/api/open");
  simple.headers.emplace_back("origin", "https://app.example.com");
  CHECK(call(pipeline, simple).header("access-control-allow-origin") == "https://app.example.com");
}

TEST_CASE_METHOD(fixture, "a draining edge refuses new requests with 503", "[http][edge]") {
  auto pipeline = make_edge();
  CHECK(pipeline.drain(1s));
  auto res = call(pipeline, make_request("GET", "/api/open"));
  CHECK(res.status == 503);
  CHECK(error_code(res) == "unavailable");
}

TEST_CASE_METHOD(fixture,
                 "a request target over 8 KiB gets 414 and a header section over 16 KiB 431",
                 "[http][edge]") {
  auto pipeline = make_edge();
  auto at_limit = make_request("GET", "/api/open");
  at_limit.query = "q=" + std::string((std::size_t{8} << 10U) - at_limit.path.size() - 3, 'q');
  CHECK(call(pipeline, at_limit).status == 200);
  auto long_target = at_limit;
  long_target.query += "q";
  auto too_long = call(pipeline, long_target);
  CHECK(too_long.status == 414);
  CHECK(error_code(too_long) == "uri_too_long");

  auto big_headers = make_request("GET", "/api/nowhere");
  big_headers.headers.emplace_back("x-padding", std::string(std::size_t{16} << 10U, 'p'));
  auto too_large = call(pipeline, big_headers);
  CHECK(too_large.status == 431);
  CHECK(error_code(too_large) == "headers_too_large");
}

TEST_CASE_METHOD(fixture, "HEAD reaches the GET handler as GET, and a path without GET stays 405",
                 "[http][edge]") {
  auto pipeline = make_edge();
  auto head = call(pipeline, make_request("HEAD", "/api/open"));
  CHECK(head.status == 200);
  CHECK(nlohmann::json::parse(head.body)["method"] == "GET");

  auto no_get = call(pipeline, make_request("HEAD", "/api/items"));
  CHECK(no_get.status == 405);
  CHECK(no_get.header("allow") == "POST");
}
