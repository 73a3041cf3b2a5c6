// What clients put on the wire, the real binary answers in order and in bounded memory: oversize
// uploads, requests pipelined behind an error, HEAD, malformed requests and the connection cap.

#include "tests/e2e/service_logs.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/raw_connection.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// A field of /proc/PID/status in KiB: VmRSS (resident now) or VmHWM (the peak so far).
std::int64_t status_kib(int pid, const std::string& field) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stoll(line.substr(field.size() + 1));
    }
  }
  FAIL("no " << field << " in /proc/" << pid << "/status");
  return 0;
}

std::string request_line(const std::string& method, const std::string& path) {
  return method + " " + path + " HTTP/1.1\r\nHost: schedulerd.test\r\n\r\n";
}

std::string error_code(const testing::raw_response& res) {
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

// Whether the service logged an `http_connection_error` for 127.0.0.1 naming `reason`.
bool logged_connection_error(const testing::service_process& service, const std::string& reason) {
  const auto lines = testing::events_named(service.stderr_text(), "http_connection_error");
  return std::any_of(lines.begin(), lines.end(), [&reason](const nlohmann::json& line) {
    return line.value("client", "") == "127.0.0.1" &&
           line.value("reason", "").find(reason) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("oversize uploads are cut off early and the service's memory stays bounded",
          "[e2e][http]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  const auto port = testing::port_of(service.base_url());
  constexpr std::size_t uploads = 30;
  constexpr std::size_t claimed = std::size_t{15} << 20U;
  const std::string chunk(std::size_t{64} << 10U, '7');
  const auto peak_before = status_kib(service.pid(), "VmHWM");

  std::vector<std::unique_ptr<testing::raw_connection>> clients;
  for (std::size_t i = 0; i < uploads; ++i) {
    clients.push_back(std::make_unique<testing::raw_connection>(port));
    const auto head =
        "POST /api/auth/login HTTP/1.1\r\nHost: schedulerd.test\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(claimed) + "\r\n\r\n";
    REQUIRE(clients.back()->send(head) == head.size());
  }
  // Round after round of body, as thirty clients uploading at once send it.
  std::vector<std::size_t> sent(uploads, 0);
  std::vector<bool> cut(uploads, false);
  for (bool sending = true; sending;) {
    sending = false;
    for (std::size_t i = 0; i < uploads; ++i) {
      if (cut[i] || sent[i] == claimed) {
        continue;
      }
      const auto n = clients[i]->send(chunk, 5s);
      sent[i] += n;
      cut[i] = n < chunk.size();
      sending = sending || (!cut[i] && sent[i] < claimed);
    }
  }

  for (std::size_t i = 0; i < uploads; ++i) {
    INFO("upload " << i << " got " << sent[i] << " of " << claimed << " bytes out");
    if (cut[i]) {
      CHECK(clients[i]->ended_by_peer());
    } else {
      auto res = clients[i]->read_response();
      REQUIRE(res);
      CHECK(res->status == 413);
      CHECK(error_code(*res) == "payload_too_large");
    }
  }
  const auto growth_kib = status_kib(service.pid(), "VmHWM") - peak_before;
  INFO("peak resident size grew by " << growth_kib / 1024 << " MiB");
  CHECK(growth_kib < std::int64_t{64} * 1024);
  CHECK(logged_connection_error(service, "HPE_CB_headers_complete"));
  clients.clear();
  CHECK(testing::get(service.base_url() + "/api/health").status == 200);
}

TEST_CASE("requests pipelined behind an error are all answered, in order", "[e2e][http]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  testing::raw_connection client{testing::port_of(service.base_url())};
  const auto requests = request_line("GET", "/api/nope") + request_line("GET", "/api/health") +
                        request_line("GET", "/api/health");

  REQUIRE(client.send(requests) == requests.size());

  auto missing = client.read_response();
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(error_code(*missing) == "not_found");
  for (int i = 0; i < 2; ++i) {
    auto health = client.read_response();
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(nlohmann::json::parse(health->body).value("status", "") == "ok");
  }
  REQUIRE(client.send(request_line("GET", "/api/health")) > 0);
  auto again = client.read_response();
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("HEAD answers like GET without a body, so the next pipelined answer still parses",
          "[e2e][http]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  testing::raw_connection client{testing::port_of(service.base_url())};
  const auto requests = request_line("HEAD", "/api/health") + request_line("GET", "/api/health") +
                        request_line("HEAD", "/api/auth/login") +
                        request_line("GET", "/api/health");

  REQUIRE(client.send(requests) == requests.size());

  auto head = client.read_response(true);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->header("content-type").value_or("").substr(0, 16) == "application/json");
  CHECK(std::stoul(std::string{head->header("content-length").value_or("0")}) > 0);
  CHECK_FALSE(head->header("x-request-id").value_or("").empty());
  auto get = client.read_response();
  REQUIRE(get);
  CHECK(get->status == 200);
  CHECK(nlohmann::json::parse(get->body).value("status", "") == "ok");

  auto no_get = client.read_response(true);
  REQUIRE(no_get);
  CHECK(no_get->status == 405);
  CHECK(no_get->header("allow") == "POST");
  auto after = client.read_response();
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(nlohmann::json::parse(after->body).value("status", "") == "ok");
  CHECK(client.unread().empty());
}

TEST_CASE("a request the parser refuses closes the connection with a log line naming why",
          "[e2e][http]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  const auto port = testing::port_of(service.base_url());
  struct refused {
    std::string what;
    std::string bytes;
    std::string reason;
  };
  const std::vector<refused> cases{
      {"an unknown method", request_line("BREW", "/api/health"), "HPE_INVALID_METHOD"},
      {"a Content-Length that is no number",
       "POST /api/auth/login HTTP/1.1\r\nHost: schedulerd.test\r\nContent-Length: ten\r\n\r\n",
       "HPE_INVALID_CONTENT_LENGTH"},
      {"a chunk size that is no number",
       "POST /api/auth/login HTTP/1.1\r\nHost: schedulerd.test\r\n"
       "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
       "HPE_INVALID_CHUNK_SIZE"},
      {"a request target over 64 KiB",
       request_line("GET", "/api/health?q=" + std::string(std::size_t{65} << 10U, 'q')),
       "HPE_CB_url"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    testing::raw_connection client{port};
    REQUIRE(client.send(c.bytes) == c.bytes.size());
    CHECK(client.ended_by_peer());
    CHECK(client.unread().empty());
    CHECK(testing::eventually([&] { return logged_connection_error(service, c.reason); }));
  }
  CHECK(testing::get(service.base_url() + "/api/health").status == 200);
}

TEST_CASE("connections over MAX_CONNECTIONS wait until one closes, and reaching it is logged",
          "[e2e][http]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}, {"MAX_CONNECTIONS", "2"}}};
  const auto port = testing::port_of(service.base_url());
  auto first = std::make_unique<testing::raw_connection>(port);
  testing::raw_connection second{port};
  for (auto* client : {first.get(), &second}) {
    REQUIRE(client->send(request_line("GET", "/api/health")) > 0);
    auto res = client->read_response();
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  CHECK(testing::eventually([&] {
    auto lines = testing::events_named(service.stderr_text(), "http_connection_limit_reached");
    return !lines.empty() && lines.front().value("max_connections", 0) == 2;
  }));

  testing::raw_connection third{port};
  REQUIRE(third.send(request_line("GET", "/api/health")) > 0);
  // Proving that nothing happens takes a bounded wait.
  CHECK_FALSE(third.stirs_within(300ms));
  first.reset();
  auto res = third.read_response();
  REQUIRE(res);
  CHECK(res->status == 200);
}
