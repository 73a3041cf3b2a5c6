#include "tests/support/bare_http_server.hpp"
#include "tests/support/raw_connection.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using schedulerd::http::request;
using schedulerd::http::response;
using schedulerd::testing::bare_http_server;
using schedulerd::testing::raw_connection;

namespace {

// Answers every request with its method, path, query and body, and keeps what it saw.
struct echo {
  std::mutex mutex;
  std::vector<request> seen;

  response operator()(const request& r) {
    {
      std::lock_guard lock{mutex};
      seen.push_back(r);
    }
    response out;
    out.status = r.path == "/created" ? 201 : 200;
    out.set_header("content-type", "text/plain");
    out.body = r.method + " " + r.path + "?" + r.query + " " + r.body;
    if (r.path == "/bye") out.set_header("connection", "close");
    return out;
  }
};

// Holds the answers to /slow for `slow`, and answers everything else at once.
struct slow_path {
  std::chrono::milliseconds slow;
  std::chrono::milliseconds operator()(const request& r) const {
    return r.path == "/slow" ? slow : 0ms;
  }
};

bare_http_server serve(echo& handler, std::chrono::milliseconds slow = 0ms) {
  return bare_http_server{[&handler](const request& r) { return handler(r); }, slow_path{slow}};
}

}  // namespace

TEST_CASE("the bare server answers kept-alive requests in order, with their bodies",
          "[support][bare_http_server]") {
  echo handler;
  auto server = serve(handler);
  REQUIRE(server.port() != 0);
  CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(server.port()));
  raw_connection conn{server.port()};

  // Two requests in one write, the first with a body.
  REQUIRE(conn.send("POST /created?x=1 HTTP/1.1\r\nHost: a\r\nX-Token:  abc \r\n"
                    "Content-Length: 5\r\n\r\nhello"
                    "GET /second HTTP/1.1\r\nHost: a\r\n\r\n") > 0);
  const auto first = conn.read_response();
  const auto second = conn.read_response();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->status == 201);
  CHECK(first->body == "POST /created?x=1 hello");
  CHECK(first->header("content-length") == "23");
  CHECK(second->status == 200);
  CHECK(second->body == "GET /second? ");

  std::lock_guard lock{handler.mutex};
  REQUIRE(handler.seen.size() == 2);
  CHECK(handler.seen[0].header("x-token") == "abc");
  CHECK(handler.seen[0].client_address == "127.0.0.1");
}

TEST_CASE("the bare server reads a body that arrives in pieces, after 100 Continue",
          "[support][bare_http_server]") {
  echo handler;
  auto server = serve(handler);
  raw_connection conn{server.port()};

  REQUIRE(conn.send("POST /created HTTP/1.1\r\nExpect: 100-continue\r\n"
                    "Content-Length: 11\r\n\r\nhello") > 0);
  const auto interim = conn.read_response();
  REQUIRE(interim);
  CHECK(interim->status == 100);
  REQUIRE(conn.send(" world") > 0);
  const auto answer = conn.read_response();
  REQUIRE(answer);
  CHECK(answer->status == 201);
  CHECK(answer->body == "POST /created? hello world");
}

TEST_CASE("the bare server holds a slow answer without holding the others",
          "[support][bare_http_server]") {
  echo handler;
  auto server = serve(handler, 1500ms);
  raw_connection slow{server.port()};
  raw_connection quick{server.port()};

  // On one connection the answers keep the requests' order, the slow one first.
  REQUIRE(slow.send("GET /slow HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n") > 0);
  // Another connection is answered meanwhile: the held answer does not hold the thread.
  REQUIRE(quick.send("GET /quick HTTP/1.1\r\n\r\n") > 0);
  const auto quick_answer = quick.read_response(false, 1000ms);
  REQUIRE(quick_answer);
  CHECK(quick_answer->body == "GET /quick? ");
  CHECK(slow.unread().empty());

  const auto held = slow.read_response();
  const auto after = slow.read_response();
  REQUIRE(held);
  REQUIRE(after);
  CHECK(held->body == "GET /slow? ");
  CHECK(after->body == "GET /after? ");
}

TEST_CASE("the bare server answers HEAD with the length alone, and honours Connection: close",
          "[support][bare_http_server]") {
  echo handler;
  auto server = serve(handler);

  raw_connection head{server.port()};
  REQUIRE(head.send("HEAD /page HTTP/1.1\r\n\r\nGET /bye HTTP/1.1\r\n\r\n") > 0);
  const auto answer = head.read_response(true);
  REQUIRE(answer);
  CHECK(answer->header("content-length") == "12");
  CHECK(answer->body.empty());
  const auto bye = head.read_response();
  REQUIRE(bye);
  CHECK(bye->header("connection") == "close");
  CHECK(head.ended_by_peer());

  raw_connection asked{server.port()};
  REQUIRE(asked.send("GET /one HTTP/1.1\r\nConnection: close\r\n\r\n") > 0);
  REQUIRE(asked.read_response());
  CHECK(asked.ended_by_peer());
}

TEST_CASE("the bare server refuses what it cannot read and closes the connection",
          "[support][bare_http_server]") {
  echo handler;
  auto server = serve(handler);

  const auto refused = [&](const std::string& bytes) {
    raw_connection conn{server.port()};
    REQUIRE(conn.send(bytes) > 0);
    const auto answer = conn.read_response();
    REQUIRE(answer);
    CHECK(conn.ended_by_peer());
    return answer->status;
  };
  CHECK(refused("NONSENSE\r\n\r\n") == 400);
  CHECK(refused("GET / HTTP/2.0\r\n\r\n") == 400);
  CHECK(refused("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n") == 400);
  CHECK(refused("GET / HTTP/1.1\r\nno colon here\r\n\r\n") == 400);
  CHECK(refused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 411);
  CHECK(refused("GET / HTTP/1.1\r\nX-Long: " + std::string(70'000, 'a')) == 431);

  std::lock_guard lock{handler.mutex};
  CHECK(handler.seen.empty());
}
