#include "domain/send_grants.hpp"

#include <catch2/catch.hpp>

#include <cstdint>

using schedulerd::domain::send_grants;

namespace {

constexpr std::int64_t lifetime = 1000;
constexpr std::int64_t start = 5'000'000;

// Spends `count` sends at `now`, each only once `ready` allows it; answers how many it could.
std::int64_t spend_up_to(send_grants& grants, std::int64_t count, std::int64_t now) {
  std::int64_t spent = 0;
  while (spent < count && grants.ready(now)) {
    grants.spend();
    ++spent;
  }
  return spent;
}

// The pacer asked at `at`, answering at once with `granted` sends (or none, and `wait_ms`).
void grant(send_grants& grants, std::int64_t granted, std::int64_t wait_ms, std::int64_t at) {
  grants.asked();
  grants.answered(granted, wait_ms, at);
}

}  // namespace

TEST_CASE("a connection sends only what the pacer granted", "[domain][rate]") {
  send_grants grants{lifetime};
  CHECK_FALSE(grants.ready(start));
  CHECK(grants.wait_ms(start) == 0);
  grants.asked();
  CHECK(grants.asking());
  grants.answered(3, 0, start);
  CHECK_FALSE(grants.asking());
  CHECK(spend_up_to(grants, 10, start + 5) == 3);
  CHECK_FALSE(grants.ready(start + 5));
}

TEST_CASE("the next grant is asked for while the current one runs low, and follows it",
          "[domain][rate]") {
  send_grants grants{lifetime};
  grant(grants, 50, 0, start);
  CHECK(spend_up_to(grants, 24, start) == 24);
  // 26 left, above the low water of 25: not yet.
  CHECK_FALSE(grants.wants_next(start, 100, 25));
  CHECK(spend_up_to(grants, 1, start) == 1);
  CHECK(grants.wants_next(start, 100, 25));
  // What is queued beyond the current grant decides: 25 left cover 25 queued.
  CHECK_FALSE(grants.wants_next(start, 25, 25));
  grants.asked();
  CHECK_FALSE(grants.wants_next(start, 100, 25));  // one answer awaited at a time
  grants.answered(50, 0, start + 2);
  CHECK_FALSE(grants.wants_next(start + 2, 100, 25));  // one stored at a time
  // The rest of the current grant, then all of the next, with no wait in between.
  CHECK(spend_up_to(grants, 200, start + 3) == 75);
}

TEST_CASE("a grant older than its lifetime is dropped, current or next", "[domain][rate]") {
  send_grants grants{lifetime};
  grant(grants, 10, 0, start);
  CHECK(spend_up_to(grants, 5, start + lifetime - 1) == 5);
  CHECK_FALSE(grants.ready(start + lifetime));

  grant(grants, 10, 0, start + 2000);
  CHECK(spend_up_to(grants, 5, start + 2000) == 5);
  grant(grants, 10, 0, start + 2500);  // the next grant, aging from its own time
  // At 3000 the current grant is gone, and the next one, half a second old, takes its place...
  CHECK(spend_up_to(grants, 3, start + 3000) == 3);
  // ...until its own second ends.
  CHECK_FALSE(grants.ready(start + 3500));
}

TEST_CASE("a pacer that says wait, or cannot answer, is not asked again before then",
          "[domain][rate]") {
  send_grants grants{lifetime};
  grant(grants, 0, 300, start);
  CHECK_FALSE(grants.ready(start));
  CHECK(grants.wait_ms(start + 100) == 200);
  CHECK(grants.wait_ms(start + 300) == 0);

  grant(grants, 50, 0, start + 300);
  CHECK(spend_up_to(grants, 40, start + 300) == 40);
  grant(grants, 0, 400, start + 310);  // no next grant: the budget is spent
  CHECK_FALSE(grants.wants_next(start + 500, 100, 25));
  CHECK(grants.wants_next(start + 710, 100, 25));

  grants.asked();
  grants.unanswered(100, start + 720);
  CHECK_FALSE(grants.asking());
  CHECK(grants.wait_ms(start + 720) == 100);
  CHECK_FALSE(grants.wants_next(start + 800, 100, 25));
}
