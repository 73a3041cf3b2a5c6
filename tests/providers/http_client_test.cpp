#include "providers/http_client.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/http_test_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using schedulerd::http::request;
using schedulerd::http::response;
using schedulerd::providers::outbound_request;
using schedulerd::providers::send;
using schedulerd::testing::fake_server;

namespace {

// Answers with the request body and reports what the server saw in headers.
response echo(const request& req) {
  response out;
  out.status = req.method == "POST" ? 201 : 200;
  out.set_header("x-seen-method", req.method);
  out.set_header("x-seen-token", std::string(req.header("x-token").value_or("")));
  out.body = req.body;
  return out;
}

}  // namespace

TEST_CASE("a GET reaches the server with its query string and headers",
          "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/search", [](const request&) {
    response out;
    out.body = R"({"found":1})";
    return out;
  });

  auto answer = schedulerd::testing::get(server.base_url() + "/search?q=hello%20world&page=2",
                                         {{"X-Token", "abc"}});

  CHECK(answer.status == 200);
  CHECK(answer.body == R"({"found":1})");
  CHECK(answer.error.empty());
  REQUIRE(server.requests().size() == 1);
  const request seen = server.requests().front();
  CHECK(seen.method == "GET");
  CHECK(seen.path == "/search");
  CHECK(seen.query == "q=hello%20world&page=2");
  CHECK(seen.query_param("q") == "hello world");
  CHECK(seen.header("x-token") == "abc");
}

TEST_CASE("POST, PUT, PATCH and DELETE carry their bodies and headers both ways",
          "[providers][http_client]") {
  fake_server server;
  server.on("*", "/items/:id", echo);

  for (const std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
    CAPTURE(method);
    outbound_request out;
    out.method = method;
    out.url = server.base_url() + "/items/7";
    out.headers = {{"Content-Type", "application/json"}, {"X-Token", "t-" + method}};
    out.body = R"({"method":")" + method + R"("})";

    auto answer = send(out);

    CHECK(answer.status == (method == "POST" ? 201 : 200));
    CHECK(answer.body == out.body);
    CHECK(answer.header("x-seen-method") == method);
    CHECK(answer.header("x-seen-token") == "t-" + method);
    const request seen = server.requests().back();
    CHECK(seen.method == method);
    CHECK(seen.body == out.body);
    CHECK(seen.header("content-type") == "application/json");
    CHECK_FALSE(seen.header("expect").has_value());
  }
  CHECK(server.count("/items/7") == 4);
}

TEST_CASE("a PUT without a body still sends Content-Length: 0 and no invented content type",
          "[providers][http_client]") {
  fake_server server;
  server.on("PUT", "/close", echo);

  auto answer = schedulerd::testing::call("PUT", server.base_url() + "/close");

  CHECK(answer.status == 200);
  const request seen = server.requests().back();
  CHECK(seen.header("content-length") == "0");
  CHECK_FALSE(seen.header("content-type").has_value());
}

TEST_CASE("response headers are readable by their lower-case names", "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/h", [](const request&) {
    response out;
    out.headers.emplace_back("X-Trace-ID", "  trace-1  ");
    out.headers.emplace_back("Content-Type", "text/plain");
    return out;
  });

  auto answer = schedulerd::testing::get(server.base_url() + "/h");

  CHECK(answer.header("x-trace-id") == "trace-1");
  CHECK(answer.header("content-type") == "text/plain");
  CHECK_FALSE(answer.header("X-Trace-ID").has_value());
}

TEST_CASE("error statuses come back as they are, with their headers and bodies",
          "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/limited", [](const request&) {
    response out;
    out.status = 429;
    out.set_header("retry-after", "30");
    out.body = R"({"reason":"slow down"})";
    return out;
  });
  server.on("GET", "/broken", [](const request&) {
    response out;
    out.status = 500;
    out.body = "boom";
    return out;
  });

  auto missing = schedulerd::testing::get(server.base_url() + "/nowhere");
  auto limited = schedulerd::testing::get(server.base_url() + "/limited");
  auto broken = schedulerd::testing::get(server.base_url() + "/broken");

  CHECK(missing.status == 404);
  CHECK(limited.status == 429);
  CHECK(limited.header("retry-after") == "30");
  CHECK(limited.body == R"({"reason":"slow down"})");
  CHECK(broken.status == 500);
  CHECK(broken.body == "boom");
  for (const auto& answer : {missing, limited, broken}) {
    CHECK(answer.answered());
    CHECK(answer.error.empty());
    CHECK_FALSE(answer.timed_out);
  }
}

TEST_CASE("a redirect is handed to the caller, not followed", "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/authorize", [](const request&) {
    response out;
    out.status = 302;
    out.set_header("location", "/callback?code=xyz");
    return out;
  });

  auto answer = schedulerd::testing::get(server.base_url() + "/authorize");

  CHECK(answer.status == 302);
  CHECK(answer.header("location") == "/callback?code=xyz");
  CHECK(server.count("/callback") == 0);
}

TEST_CASE("a refused connection fails fast with status 0 and an error",
          "[providers][http_client]") {
  std::string url;
  {
    fake_server closed;
    url = closed.base_url() + "/anything";
  }

  outbound_request out;
  out.url = url;
  out.timeout = 5000ms;
  auto answer = send(out);

  CHECK(answer.status == 0);
  CHECK_FALSE(answer.answered());
  CHECK_FALSE(answer.error.empty());
  CHECK_FALSE(answer.timed_out);
  CHECK(answer.latency < 2000ms);
}

TEST_CASE("a malformed URL is reported as an error, not thrown", "[providers][http_client]") {
  outbound_request out;
  out.url = "not a url";

  auto answer = send(out);

  CHECK(answer.status == 0);
  CHECK_FALSE(answer.error.empty());
}

TEST_CASE("a server slower than the timeout makes the call time out", "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/slow", echo);
  server.set_latency(500ms);

  outbound_request out;
  out.url = server.base_url() + "/slow";
  out.timeout = 100ms;
  auto answer = send(out);

  CHECK(answer.timed_out);
  CHECK(answer.status == 0);
  CHECK_FALSE(answer.error.empty());
  CHECK(answer.latency >= 90ms);
  CHECK(answer.latency < 450ms);
}

TEST_CASE("eight threads calling at once all get their own answers", "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/echo", [](const request& req) {
    response out;
    out.body = req.query;
    return out;
  });
  constexpr std::size_t threads = 8;
  constexpr std::size_t calls = 25;
  std::atomic<std::size_t> good{0};

  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = 0; i < calls; ++i) {
        const std::string query = "t=" + std::to_string(t) + "&i=" + std::to_string(i);
        auto answer = schedulerd::testing::get(server.base_url() + "/echo?" + query);
        if (answer.status == 200 && answer.body == query) {
          ++good;
        }
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }

  CHECK(good == threads * calls);
  CHECK(server.count("/echo") == threads * calls);
}

TEST_CASE("a 2 MiB body survives the round trip", "[providers][http_client]") {
  fake_server server;
  server.on("POST", "/upload", echo);
  std::string body(std::size_t{2} * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) {
    body[i] = static_cast<char>('a' + i % 26);
  }

  auto answer = schedulerd::testing::post_json(server.base_url() + "/upload", body);

  CHECK(answer.status == 201);
  CHECK(answer.body.size() == body.size());
  CHECK(answer.body == body);
  CHECK(server.requests().back().body == body);
}

TEST_CASE("HEAD returns the headers without a body", "[providers][http_client]") {
  fake_server server;
  server.on("HEAD", "/file", [](const request&) {
    response out;
    out.set_header("x-size", "5");
    out.body = "hello";
    return out;
  });

  auto first = schedulerd::testing::call("HEAD", server.base_url() + "/file");
  auto second = schedulerd::testing::call("HEAD", server.base_url() + "/file");

  CHECK(first.status == 200);
  CHECK(first.header("x-size") == "5");
  CHECK(first.body.empty());
  CHECK(second.status == 200);
}

TEST_CASE("a thread's next call carries nothing over from its last call's method",
          "[providers][http_client]") {
  fake_server server;
  server.on("*", "/items/:id", echo);
  struct step {
    std::string method;
    std::string body;
  };
  // Each call reuses the thread's first handle: a HEAD, a custom method and a body before each.
  const std::vector<step> steps{{"HEAD", ""},
                                {"POST", R"({"n":1})"},
                                {"DELETE", ""},
                                {"GET", ""},
                                {"PATCH", R"({"n":2})"},
                                {"HEAD", ""},
                                {"GET", ""},
                                {"PUT", ""},
                                {"POST", R"({"n":3})"}};
  std::vector<schedulerd::providers::outbound_response> answers;
  std::thread caller{[&] {
    for (const auto& [method, body] : steps) {
      outbound_request out;
      out.method = method;
      out.url = server.base_url() + "/items/1";
      out.body = body;
      answers.push_back(send(out));
    }
  }};
  caller.join();

  REQUIRE(answers.size() == steps.size());
  const auto seen = server.requests();
  REQUIRE(seen.size() == steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    CAPTURE(i, steps[i].method);
    CHECK(seen[i].method == steps[i].method);
    CHECK(seen[i].body == steps[i].body);
    CHECK(answers[i].header("x-seen-method") == steps[i].method);
    CHECK(answers[i].body == (steps[i].method == "HEAD" ? "" : steps[i].body));
  }
}

TEST_CASE("requests sent together come back in their order, each with its own fate",
          "[providers][http_client]") {
  fake_server server;
  server.on("*", "/items/:id", echo);
  server.on("GET", "/broken", [](const request&) {
    response out;
    out.status = 503;
    out.set_header("Retry-After", "7");
    out.body = "busy";
    return out;
  });

  std::string refused_url;
  {
    fake_server closed;
    refused_url = closed.base_url() + "/refused";
  }

  std::vector<outbound_request> requests(4);
  requests[0].url = server.base_url() + "/items/1";
  requests[1].url = server.base_url() + "/broken";
  requests[2].url = refused_url;
  requests[3].method = "POST";
  requests[3].url = server.base_url() + "/items/2";
  requests[3].body = R"({"n":2})";
  const auto answers = schedulerd::providers::send_all(requests);

  REQUIRE(answers.size() == 4);
  CHECK(answers[0].status == 200);
  CHECK(answers[0].header("x-seen-method") == "GET");
  CHECK(answers[1].status == 503);
  CHECK(answers[1].header("retry-after") == "7");
  CHECK(answers[1].body == "busy");
  CHECK(answers[2].status == 0);
  CHECK_FALSE(answers[2].error.empty());
  CHECK(answers[3].status == 201);
  CHECK(answers[3].body == R"({"n":2})");
  CHECK(server.count("/items/1") == 1);
  CHECK(server.count("/items/2") == 1);
}

TEST_CASE("a thread's kept-alive connections serve its next calls, small or large",
          "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/echo", echo);
  server.set_latency(50ms);  // the transfers of a call overlap: each needs its own connection
  const auto call = [&](std::size_t n) {
    std::vector<outbound_request> requests(n);
    for (auto& r : requests) r.url = server.base_url() + "/echo";
    std::size_t answered = 0;
    for (const auto& answer : schedulerd::providers::send_all(requests)) {
      answered += answer.status == 200 ? 1 : 0;
    }
    return answered;
  };
  std::size_t answered = 0;
  std::thread caller{[&] {  // a new thread: its connection cache starts empty
    answered += call(12);
    for (int i = 0; i < 3; ++i) answered += call(1);
    answered += call(12);
  }};
  caller.join();
  CHECK(answered == 27);
  CHECK(server.connections() == 12);
}

TEST_CASE("requests sent together overlap, and a slow one times out alone",
          "[providers][http_client]") {
  fake_server server;
  server.on("GET", "/echo", echo);
  server.set_latency(300ms);

  std::vector<outbound_request> requests(10);
  for (auto& r : requests) r.url = server.base_url() + "/echo";
  requests[4].timeout = std::chrono::milliseconds{50};
  const auto started = std::chrono::steady_clock::now();
  const auto answers = schedulerd::providers::send_all(requests);
  const auto took = std::chrono::steady_clock::now() - started;

  REQUIRE(answers.size() == requests.size());
  for (std::size_t i = 0; i < answers.size(); ++i) {
    INFO("request " << i);
    CHECK(answers[i].status == (i == 4 ? 0 : 200));
    CHECK(answers[i].timed_out == (i == 4));
  }
  CHECK(took < 1500ms);  // ten at 300 ms one after another would take 3 s
  CHECK(schedulerd::providers::send_all({}).empty());
}
