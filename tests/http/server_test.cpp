#include "http/server.hpp"

#include "actors/errc.hpp"
#include "http/edge.hpp"
#include "http/reply.hpp"
#include "tests/e2e/service_logs.hpp"
#include "tests/support/captured_log.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/raw_connection.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace schedulerd;

namespace {

http::handler_actor::behavior_type mirror() {
  return {[](http::request& req) {
            return http::json_response(
                201, nlohmann::json{{"method", req.method},
                                    {"query", req.query},
                                    {"header", req.header("x-custom").value_or("")},
                                    {"client", req.client_address},
                                    {"bytes", req.body.size()}});
          },
          // Every handler answers the directory's probe.
          [](get_atom, mailbox_atom) { return actors::actor_probe{}; }};
}

struct running_server {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  http::handler_actor handler;
  std::unique_ptr<http::edge> pipeline;
  std::unique_ptr<http::server> server;

  explicit running_server(std::size_t max_connections = 1024,
                          std::shared_ptr<log::logger> logger =
                              std::make_shared<log::logger>(log::level::error, log::format::json)) {
    register_errc_category(config);
    system = std::make_unique<caf::actor_system>(config);
    handler = system->spawn(mirror);
    http::router routes;
    routes.add("POST", "/api/things", handler, {http::access::open});
    routes.add("GET", "/api/things", handler, {http::access::open});
    pipeline = std::make_unique<http::edge>(*system, std::move(routes), http::edge_settings{},
                                            std::move(logger));
    server = std::make_unique<http::server>(http::server_settings{"127.0.0.1", 0, max_connections},
                                            *pipeline);
  }

  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  // The service's order: stop serving, let the edge finish (and release) every connection, and
  // only then free the server whose I/O context those connections belong to.
  ~running_server() {
    server->stop();
    pipeline.reset();
    server.reset();
    caf::anon_send_exit(handler, caf::exit_reason::user_shutdown);
  }

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server->port()) + path;
  }
};

}  // namespace

TEST_CASE("the server binds a free port and hands requests to their handler actor",
          "[http][server]") {
  running_server running;
  REQUIRE(running.server->port() != 0);
  auto res = testing::post_json(running.url("/api/things?a=1&b=two"), R"({"x":1})",
                                {{"X-Custom", "value"}});
  REQUIRE(res.status == 201);
  auto body = nlohmann::json::parse(res.body);
  CHECK(body["method"] == "POST");
  CHECK(body["query"] == "a=1&b=two");
  CHECK(body["header"] == "value");
  CHECK(body["client"] == "127.0.0.1");
  CHECK(res.header("x-request-id"));
}

TEST_CASE("a body over the route's limit gets 413 through a real connection", "[http][server]") {
  running_server running;
  std::string big = "\"" + std::string((std::size_t{1} << 20U) + 10, 'a') + "\"";
  auto res = testing::post_json(running.url("/api/things"), big);
  CHECK(res.status == 413);
  CHECK(nlohmann::json::parse(res.body)["error"]["code"] == "payload_too_large");
  CHECK(testing::get(running.url("/api/things")).status == 201);
}

TEST_CASE("an unknown path gets the JSON 404 envelope", "[http][server]") {
  running_server running;
  auto res = testing::get(running.url("/nowhere"));
  CHECK(res.status == 404);
  CHECK(res.header("content-type") == "application/json; charset=utf-8");
}

TEST_CASE("a second server on a taken port fails to start with an exception", "[http][server]") {
  running_server running;
  http::edge pipeline{*running.system, http::router{}, http::edge_settings{},
                      std::make_shared<log::logger>(log::level::error, log::format::json)};
  CHECK_THROWS(http::server{http::server_settings{"127.0.0.1", running.server->port()}, pipeline});
}

TEST_CASE("a client over the connection cap waits for a free slot, and reaching it is logged",
          "[http][server]") {
  testing::captured_log captured;
  auto running = std::make_unique<running_server>(1, captured.logger());
  const auto port = running->server->port();
  const std::string get = "GET /api/things HTTP/1.1\r\nHost: t\r\n\r\n";
  auto first = std::make_unique<testing::raw_connection>(port);
  REQUIRE(first->send(get) == get.size());
  auto served = first->read_response();
  REQUIRE(served);
  CHECK(served->status == 201);
  CHECK(testing::eventually([&captured] {
    return !testing::events_named(captured.text(), "http_connection_limit_reached").empty();
  }));

  testing::raw_connection second{port};
  REQUIRE(second.send(get) == get.size());
  // Proving that nothing happens takes a bounded wait.
  CHECK_FALSE(second.stirs_within(std::chrono::milliseconds{300}));
  first.reset();
  auto waited = second.read_response();
  REQUIRE(waited);
  CHECK(waited->status == 201);
}

TEST_CASE("a server stopped at its connection cap closes its idle connections safely",
          "[http][server]") {
  auto running = std::make_unique<running_server>(1);
  const auto port = running->server->port();
  testing::raw_connection idle{port};
  REQUIRE(idle.send("GET /api/things HTTP/1.1\r\nHost: t\r\n\r\n") > 0);
  REQUIRE(idle.read_response());
  testing::raw_connection waiting{port};

  // The idle connection points into the acceptor's connection count: it must go first
  // (AddressSanitizer builds report it otherwise).
  running.reset();

  CHECK(idle.ended_by_peer());
  CHECK(waiting.ended_by_peer());
}
