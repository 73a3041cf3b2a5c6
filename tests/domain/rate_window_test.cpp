#include "domain/rate_window.hpp"

#include <catch2/catch.hpp>

#include <string>

using schedulerd::domain::rate_window_ms;
using schedulerd::domain::rate_windows;

namespace {

constexpr std::int64_t start_ms = 1'700'000'000'000;

}  // namespace

TEST_CASE("requests are allowed up to the limit and refused after it", "[domain][rate_window]") {
  rate_windows windows;
  for (int i = 1; i <= 3; ++i) {
    auto decision = windows.spend("ip:10.0.0.1", 3, start_ms + i);
    CHECK(decision.allowed);
    CHECK(decision.limit == 3);
    CHECK(decision.remaining == 3 - i);
  }
  auto refused = windows.spend("ip:10.0.0.1", 3, start_ms + 4);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.limit == 3);
  CHECK(refused.remaining == 0);
  CHECK_FALSE(windows.spend("ip:10.0.0.1", 3, start_ms + 5).allowed);
}

TEST_CASE("retry-after is the time left until the key's window ends, rounded up",
          "[domain][rate_window]") {
  rate_windows windows;
  windows.spend("auth:1.2.3.4", 1, start_ms);
  CHECK(windows.spend("auth:1.2.3.4", 1, start_ms + 1).retry_after_s == 60);
  CHECK(windows.spend("auth:1.2.3.4", 1, start_ms + 15'000).retry_after_s == 45);
  CHECK(windows.spend("auth:1.2.3.4", 1, start_ms + 44'500).retry_after_s == 16);
  CHECK(windows.spend("auth:1.2.3.4", 1, start_ms + rate_window_ms - 1).retry_after_s == 1);
}

TEST_CASE("a new window gives the key its whole budget again", "[domain][rate_window]") {
  rate_windows windows;
  CHECK(windows.spend("token:17", 2, start_ms).allowed);
  CHECK(windows.spend("token:17", 2, start_ms + 10).allowed);
  CHECK_FALSE(windows.spend("token:17", 2, start_ms + rate_window_ms - 1).allowed);
  auto fresh = windows.spend("token:17", 2, start_ms + rate_window_ms);
  CHECK(fresh.allowed);
  CHECK(fresh.remaining == 1);
  CHECK(fresh.retry_after_s == 60);
}

TEST_CASE("one key's spending leaves other keys' budgets untouched", "[domain][rate_window]") {
  rate_windows windows;
  windows.spend("ip:10.0.0.1", 1, start_ms);
  CHECK_FALSE(windows.spend("ip:10.0.0.1", 1, start_ms + 1).allowed);
  auto other = windows.spend("ip:10.0.0.2", 1, start_ms + 2);
  CHECK(other.allowed);
  CHECK(other.remaining == 0);
  CHECK(windows.spend("auth:10.0.0.1", 5, start_ms + 3).remaining == 4);
}

TEST_CASE("pruning forgets only windows that have ended", "[domain][rate_window]") {
  rate_windows windows;
  windows.spend("ip:old", 5, start_ms);
  windows.spend("ip:new", 5, start_ms + 30'000);
  CHECK(windows.size() == 2);
  windows.prune(start_ms + rate_window_ms - 1);
  CHECK(windows.size() == 2);
  windows.prune(start_ms + rate_window_ms);
  CHECK(windows.size() == 1);
  // The surviving window still remembers its count.
  CHECK(windows.spend("ip:new", 5, start_ms + rate_window_ms).remaining == 3);
  windows.prune(start_ms + 30'000 + rate_window_ms);
  CHECK(windows.size() == 0);
}

TEST_CASE("a flood of distinct keys never holds more windows than the cap",
          "[domain][rate_window]") {
  rate_windows windows{1000};
  for (int i = 0; i < 50'000; ++i) {
    windows.spend("ip:flood-" + std::to_string(i), 10, start_ms + i / 10);
    REQUIRE(windows.size() <= 1000);
  }
  // The newest keys keep their counts; the oldest were forgotten to make room.
  CHECK(windows.spend("ip:flood-49999", 10, start_ms + 5'000).remaining == 8);
  CHECK(windows.spend("ip:flood-0", 10, start_ms + 5'000).remaining == 9);
}

TEST_CASE("expired windows are dropped as traffic goes on, without an explicit prune",
          "[domain][rate_window]") {
  rate_windows windows;
  for (int minute = 0; minute < 20; ++minute) {
    for (int i = 0; i < 100; ++i) {
      windows.spend("ip:" + std::to_string(minute) + "-" + std::to_string(i), 10,
                    start_ms + minute * rate_window_ms + i);
    }
  }
  CHECK(windows.size() == 100);
}

TEST_CASE("a Redis count and time-to-live give the same decision as in-process windows",
          "[domain][rate_window]") {
  using schedulerd::domain::decide_rate;
  auto allowed = decide_rate(3, 10, 42'000);
  CHECK(allowed.allowed);
  CHECK(allowed.remaining == 7);
  CHECK(allowed.retry_after_s == 42);
  auto refused = decide_rate(11, 10, 0);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.remaining == 0);
  CHECK(refused.retry_after_s == 1);
  CHECK(decide_rate(1, 10, -2'000).retry_after_s == 1);
}

TEST_CASE("each key keeps the window length its first request gave", "[domain][rate_window]") {
  rate_windows windows;
  constexpr std::int64_t quarter_hour_ms = std::int64_t{15} * 60 * 1000;
  CHECK(windows.spend("login:a", 2, start_ms, quarter_hour_ms).allowed);
  CHECK(windows.spend("ip:b", 1, start_ms).allowed);
  CHECK(windows.spend("login:a", 2, start_ms + 1, quarter_hour_ms).allowed);
  auto refused = windows.spend("login:a", 2, start_ms + 2, quarter_hour_ms);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_s == 900);
  // A minute later the short window is gone and the long one still counts.
  windows.prune(start_ms + rate_window_ms);
  CHECK(windows.size() == 1);
  CHECK_FALSE(windows.spend("login:a", 2, start_ms + rate_window_ms, quarter_hour_ms).allowed);
  CHECK(windows.spend("login:a", 2, start_ms + quarter_hour_ms, quarter_hour_ms).allowed);
}

TEST_CASE("a refund gives one request back to the open window only", "[domain][rate_window]") {
  rate_windows windows;
  CHECK_FALSE(windows.refund("login:a", start_ms));
  CHECK(windows.spend("login:a", 1, start_ms).allowed);
  CHECK(windows.refund("login:a", start_ms + 1));
  CHECK_FALSE(windows.refund("login:a", start_ms + 2));  // nothing left to give back
  CHECK(windows.spend("login:a", 1, start_ms + 3).allowed);
  CHECK_FALSE(windows.spend("login:a", 1, start_ms + 4).allowed);
  // Once the window ended there is nothing to refund.
  CHECK_FALSE(windows.refund("login:a", start_ms + rate_window_ms));
}
