#include "tests/support/api_fixture.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/raw_connection.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;
using testing::body_of;
using testing::raw_connection;

namespace {

using steady = std::chrono::steady_clock;

// A service whose ADMIN_EMAILS names admin@example.com, with that admin and one other user.
struct stream_session {
  testing::api_fixture api{"sqlite", [](config::service_config& settings) {
                             settings.admin_emails = {"admin@example.com"};
                           }};
  std::string admin = api.register_user("admin@example.com");
  std::string user = api.register_user("someone@example.com");
};

// One `GET /api/admin/stream` read byte by byte: the head, then the Server-Sent Events as they
// come.
class event_stream {
 public:
  event_stream(const std::string& base_url, const std::string& token)
      : wire_(testing::port_of(base_url)) {
    std::string request = "GET /api/admin/stream HTTP/1.1\r\nHost: localhost\r\n";
    request += "Accept: text/event-stream\r\nAuthorization: Bearer ";
    request += token;
    request += "\r\n\r\n";
    REQUIRE(wire_.send(request) == request.size());
  }

  // The status line and headers (lower-cased), once they arrived.
  std::string head() {
    REQUIRE(wire_.await_unread(
        [](const std::string& bytes) { return bytes.find("\r\n\r\n") != std::string::npos; }));
    const auto& bytes = wire_.unread();
    auto head = bytes.substr(0, bytes.find("\r\n\r\n"));
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return head;
  }

  // Whether the server ended the chunked body (its last chunk) within `deadline`.
  bool ended(std::chrono::milliseconds deadline = 5s) {
    return wire_.await_unread(
        [](const std::string& bytes) {
          return bytes.size() >= 7 && bytes.compare(bytes.size() - 7, 7, "\r\n0\r\n\r\n") == 0;
        },
        deadline);
  }

  // The data of the `count`-th snapshot event, waiting up to `deadline` for it; null if none.
  nlohmann::json snapshot(std::size_t count, std::chrono::milliseconds deadline = 5s) {
    if (!wire_.await_unread([count](const std::string& bytes) { return frames(bytes) >= count; },
                            deadline)) {
      return nullptr;
    }
    const auto& bytes = wire_.unread();
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
      at = bytes.find(frame_start, at) + frame_start.size();
    }
    return nlohmann::json::parse(bytes.substr(at, bytes.find("\n\n", at) - at));
  }

 private:
  static constexpr std::string_view frame_start = "event: snapshot\ndata: ";

  static std::size_t frames(const std::string& bytes) {
    std::size_t found = 0;
    for (auto at = bytes.find(frame_start); at != std::string::npos;
         at = bytes.find(frame_start, at + 1)) {
      // Whole frames only: the blank line after the data ends one.
      if (bytes.find("\n\n", at + frame_start.size()) == std::string::npos) {
        break;
      }
      ++found;
    }
    return found;
  }

  raw_connection wire_;
};

// How many access-log lines (`http_request`) name `GET /api/admin/stream`.
std::size_t stream_log_lines(const std::string& log) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (start < log.size()) {
    auto end = log.find('\n', start);
    auto line = nlohmann::json::parse(log.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.value("event", "") == "http_request" &&
        line.value("path", "") == "/api/admin/stream") {
      ++count;
    }
    start = end == std::string::npos ? log.size() : end + 1;
  }
  return count;
}

void check_is_snapshot(const nlohmann::json& snapshot) {
  REQUIRE(snapshot.is_object());
  CHECK(snapshot["generated_at"].is_string());
  CHECK(snapshot["messages"].is_object());
  CHECK(snapshot["sources"]["directory"] == true);
  REQUIRE(snapshot["actors"].is_array());
  CHECK_FALSE(snapshot["actors"].empty());
}

}  // namespace

TEST_CASE("the console stream answers 401 without a token and 403 to users who are not admins",
          "[http][admin][stream]") {
  stream_session session;
  auto anonymous = session.api.call("GET", "/api/admin/stream");
  CHECK(anonymous.status == 401);
  CHECK(body_of(anonymous)["error"]["code"] == "unauthenticated");
  auto stranger = session.api.call("GET", "/api/admin/stream", nullptr, session.user);
  CHECK(stranger.status == 403);
  CHECK(body_of(stranger)["error"]["code"] == "forbidden");
  CHECK(stranger.header("content-type").value_or("").find("application/json") == 0);
}

TEST_CASE("an admin's console stream sends a snapshot at once, then about every second",
          "[http][admin][stream]") {
  stream_session session;
  event_stream stream{session.api.base_url(), session.admin};
  const auto head = stream.head();
  const auto headers_at = steady::now();
  CHECK(head.rfind("http/1.1 200", 0) == 0);
  CHECK(head.find("content-type: text/event-stream") != std::string::npos);
  CHECK(head.find("cache-control: no-store") != std::string::npos);
  CHECK(head.find("x-request-id: ") != std::string::npos);
  CHECK(head.find("x-content-type-options: nosniff") != std::string::npos);

  const auto first = stream.snapshot(1, 900ms);
  const auto first_at = steady::now();
  check_is_snapshot(first);
  CHECK(first_at - headers_at < 900ms);
  const auto second = stream.snapshot(2, 3s);
  const auto second_at = steady::now();
  check_is_snapshot(second);
  CHECK(second_at - first_at > 500ms);
  CHECK(second_at - first_at < 2500ms);

  // The frames carry what GET /api/admin/snapshot answers.
  auto polled = session.api.call("GET", "/api/admin/snapshot", nullptr, session.admin);
  REQUIRE(polled.status == 200);
  const auto taken = body_of(polled);
  for (const auto& [key, value] : taken.items()) {
    INFO(key);
    CHECK(second.contains(key));
    CHECK(second[key].type() == value.type());
  }
  CHECK(second.size() == taken.size());
}

TEST_CASE("a console stream ends when its client leaves, which frees its place under the cap",
          "[http][admin][stream]") {
  stream_session session;
  std::vector<std::unique_ptr<event_stream>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<event_stream>(session.api.base_url(), session.admin));
    REQUIRE(open.back()->head().rfind("http/1.1 200", 0) == 0);
  }
  // A fifth tab of the same admin is refused, as JSON, before any streaming.
  auto refused = session.api.call("GET", "/api/admin/stream", nullptr, session.admin);
  CHECK(refused.status == 429);
  CHECK(body_of(refused)["error"]["code"] == "rate_limited");
  CHECK(refused.header("retry-after").has_value());

  // The client of one stream leaves: the server notices, stops its producer and frees its place.
  open.pop_back();
  CHECK(testing::eventually(
      [&] {
        event_stream again{session.api.base_url(), session.admin};
        return again.head().rfind("http/1.1 200", 0) == 0;
      },
      5s, 50ms));
}

TEST_CASE("a console stream ends when its user is no longer an admin", "[http][admin][stream]") {
  stream_session session;
  event_stream stream{session.api.base_url(), session.admin};
  REQUIRE(stream.head().rfind("http/1.1 200", 0) == 0);
  check_is_snapshot(stream.snapshot(1));
  // ADMIN_EMAILS is checked against the user's current email at every snapshot.
  session.api.database().connect()->execute(
      "UPDATE users SET email = 'former-admin@example.com' WHERE email = 'admin@example.com'", {});
  CHECK(stream.ended());
}

TEST_CASE("the service stops promptly with a console stream open, ending the stream cleanly",
          "[http][admin][stream]") {
  stream_session session;
  providers::outbound_response streamed;
  std::thread reader{
      [&] { streamed = session.api.call("GET", "/api/admin/stream", nullptr, session.admin); }};
  // The access log has the stream's one line once its headers went out.
  const bool started =
      testing::eventually([&] { return stream_log_lines(session.api.log_text()) == 1; });
  const auto stopping = steady::now();
  session.api.service().stop(5s);
  const auto stopped_in = steady::now() - stopping;
  reader.join();
  REQUIRE(started);
  CHECK(stopped_in < 3s);
  CHECK(streamed.status == 200);
  CHECK(streamed.header("content-type").value_or("").find("text/event-stream") == 0);
  REQUIRE(streamed.body.rfind("event: snapshot\ndata: {", 0) == 0);
  const auto data = streamed.body.substr(22, streamed.body.find("\n\n") - 22);
  check_is_snapshot(nlohmann::json::parse(data));
  // One access-log line per stream, written when it started.
  CHECK(stream_log_lines(session.api.log_text()) == 1);
}
