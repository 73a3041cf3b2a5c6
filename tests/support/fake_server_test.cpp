#include "tests/support/fake_server.hpp"
#include "tests/support/http_test_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using schedulerd::http::request;
using schedulerd::http::response;
using schedulerd::testing::fake_server;
namespace client = schedulerd::testing;

namespace {

response ok_with(std::string body) {
  response out;
  out.body = std::move(body);
  return out;
}

}  // namespace

TEST_CASE("the fake server listens on a loopback port of its own", "[support][fake_server]") {
  fake_server first;
  fake_server second;

  CHECK(first.port() != 0);
  CHECK(first.port() != second.port());
  CHECK(first.base_url() == "http://127.0.0.1:" + std::to_string(first.port()));
}

TEST_CASE("the fake server records every request it receives, in order", "[support][fake_server]") {
  fake_server server;
  server.on("POST", "/v3/contacts", [](const request&) { return ok_with("{}"); });

  client::get(server.base_url() + "/v3/contacts?page=1", {{"Authorization", "Bearer tok"}});
  client::post_json(server.base_url() + "/v3/contacts", R"({"name":"Ana"})");
  client::get(server.base_url() + "/unknown");

  const auto seen = server.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].path == "/v3/contacts");
  CHECK(seen[0].query == "page=1");
  CHECK(seen[0].header("authorization") == "Bearer tok");
  CHECK(seen[0].client_address == "127.0.0.1");
  CHECK(seen[1].method == "POST");
  CHECK(seen[1].body == R"({"name":"Ana"})");
  CHECK(seen[1].header("content-type") == "application/json");
  CHECK(seen[2].path == "/unknown");
  CHECK(server.count("/v3/contacts") == 2);
  CHECK(server.count("/unknown") == 1);

  server.clear_requests();
  CHECK(server.requests().empty());
}

TEST_CASE("a fake server that does not record still answers, and keeps nothing",
          "[support][fake_server]") {
  fake_server server;
  server.on("POST", "/v3/chats/:chat_id/messages",
            [](const request& req) { return ok_with("to " + req.param("chat_id")); });
  server.set_recording(false);

  const auto answer = client::post_json(server.base_url() + "/v3/chats/7/messages", "{}");

  CHECK(answer.status == 200);
  CHECK(answer.body == "to 7");
  CHECK(server.requests().empty());
  CHECK(server.connections() == 0);

  server.set_recording(true);
  client::post_json(server.base_url() + "/v3/chats/8/messages", "{}");
  CHECK(server.count("/v3/chats/8/messages") == 1);
}

TEST_CASE("an unknown route is answered 404 with a JSON body", "[support][fake_server]") {
  fake_server server;
  server.on("GET", "/known", [](const request&) { return ok_with("yes"); });

  auto wrong_path = client::get(server.base_url() + "/unknown");
  auto wrong_method = client::post_json(server.base_url() + "/known", "{}");

  CHECK(wrong_path.status == 404);
  CHECK(wrong_path.header("content-type") == "application/json");
  CHECK(nlohmann::json::parse(wrong_path.body).at("path") == "/unknown");
  CHECK(wrong_method.status == 404);
}

TEST_CASE("route parameters are captured and later registrations win", "[support][fake_server]") {
  fake_server server;
  server.on("POST", "/v3/chats/:chat_id/messages",
            [](const request& req) { return ok_with("first " + req.param("chat_id")); });
  server.on("POST", "/v3/chats/{chat_id}/messages", [](const request& req) {
    return ok_with("second " + req.param("chat_id") + " " + req.route);
  });

  auto answer = client::post_json(server.base_url() + "/v3/chats/42/messages", "{}");
  auto too_long = client::post_json(server.base_url() + "/v3/chats/42/messages/x", "{}");

  CHECK(answer.body == "second 42 /v3/chats/{chat_id}/messages");
  CHECK(too_long.status == 404);
}

TEST_CASE("a handler that throws is answered 500", "[support][fake_server]") {
  fake_server server;
  server.on("GET", "/throws",
            [](const request&) -> response { throw std::runtime_error("planned failure"); });

  auto answer = client::get(server.base_url() + "/throws");

  CHECK(answer.status == 500);
  CHECK(nlohmann::json::parse(answer.body).at("message") == "planned failure");
}

TEST_CASE("latency injection delays every answer without serialising connections",
          "[support][fake_server]") {
  fake_server server;
  server.on("GET", "/slow", [](const request&) { return ok_with("late"); });
  server.set_latency(300ms);

  // Twelve concurrent calls against one server thread: if a delay held the thread, the calls
  // would be answered one after another (3.6 s).
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<schedulerd::providers::outbound_response>> calls;
  calls.reserve(12);
  for (int i = 0; i < 12; ++i) {
    calls.push_back(
        std::async(std::launch::async, [&] { return client::get(server.base_url() + "/slow"); }));
  }
  for (auto& call : calls) {
    auto answer = call.get();
    CHECK(answer.status == 200);
    CHECK(answer.body == "late");
    CHECK(answer.latency >= 300ms);
  }
  CHECK(std::chrono::steady_clock::now() - start < 900ms);

  server.set_latency(0ms);
  CHECK(client::get(server.base_url() + "/slow").latency < 300ms);
}

TEST_CASE("a latency for one method and path prefix delays only the answers it names",
          "[support][fake_server]") {
  fake_server server;
  server.on("GET", "/chats/{id}", [](const request&) { return ok_with("read"); });
  server.on("POST", "/chats/{id}", [](const request&) { return ok_with("posted"); });
  server.set_latency_of("POST", "/chats/", 300ms);

  CHECK(client::post_json(server.base_url() + "/chats/7", "{}").latency >= 300ms);
  CHECK(client::get(server.base_url() + "/chats/7").latency < 300ms);
}

TEST_CASE("wait_for returns once enough requests have arrived", "[support][fake_server]") {
  fake_server server;
  server.on("POST", "/hook", [](const request&) { return ok_with("{}"); });

  auto pending = std::async(std::launch::async,
                            [&] { return client::post_json(server.base_url() + "/hook", "{}"); });

  CHECK(server.wait_for("/hook", 1, 5s));
  CHECK_FALSE(server.wait_for("/hook", 2, 50ms));
  CHECK(pending.get().status == 200);
}
