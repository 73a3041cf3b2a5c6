#include "domain/timer_wheel.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

using schedulerd::domain::timer_wheel;
using schedulerd::domain::wheel_geometry;
using ids = std::vector<std::int64_t>;

namespace {

// 10 ms ticks, 8 slots, 3 levels: slots of 10, 80 and 640 ms, a horizon of 5,120 ms.
constexpr wheel_geometry small_wheel{10, 8, 3};

}  // namespace

TEST_CASE("a timer wheel fires an entry at its due time and never earlier",
          "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  REQUIRE(wheel.schedule(1, 35));
  REQUIRE(wheel.schedule(2, 5));
  CHECK(wheel.advance(4).empty());
  CHECK(wheel.advance(5) == ids{2});
  CHECK(wheel.advance(34).empty());
  CHECK(wheel.contains(1));
  CHECK(wheel.advance(35) == ids{1});
  CHECK(wheel.size() == 0);
  CHECK(wheel.now() == 35);
}

TEST_CASE("a timer wheel cascades a level-1 entry into level 0 and fires it exactly",
          "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  REQUIRE(wheel.schedule(7, 250));
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 1, 0});
  CHECK(wheel.advance(239).empty());
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 1, 0});
  // 240 ms starts the level-1 slot of 240..319.
  CHECK(wheel.advance(240).empty());
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{1, 0, 0});
  CHECK(wheel.advance(249).empty());
  CHECK(wheel.advance(250) == ids{7});
}

TEST_CASE("a timer wheel cascades a level-2 entry through level 1 into level 0",
          "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  REQUIRE(wheel.schedule(9, 3'000));
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 0, 1});
  CHECK(wheel.advance(2'559).empty());
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 0, 1});
  // 2,560 ms starts the level-2 slot of 2,560..3,199; 2,960 ms the level-1 slot of 2,960..3,039.
  CHECK(wheel.advance(2'560).empty());
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 1, 0});
  CHECK(wheel.advance(2'960).empty());
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{1, 0, 0});
  CHECK(wheel.advance(2'999).empty());
  CHECK(wheel.advance(3'000) == ids{9});
}

TEST_CASE("a timer wheel fires a high-level entry in one jump that crosses its cascades",
          "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  REQUIRE(wheel.schedule(9, 3'000));
  REQUIRE(wheel.schedule(8, 3'001));
  CHECK(wheel.advance(3'000) == ids{9});
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{1, 0, 0});
  CHECK(wheel.advance(3'001) == ids{8});
}

TEST_CASE("a cancelled entry of a timer wheel never fires", "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  REQUIRE(wheel.schedule(1, 100));
  REQUIRE(wheel.schedule(2, 2'000));
  CHECK(wheel.cancel(1));
  CHECK_FALSE(wheel.cancel(1));
  CHECK_FALSE(wheel.contains(1));
  CHECK(wheel.cancel(2));
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 0, 0});
  CHECK(wheel.advance(5'000).empty());
  CHECK_FALSE(wheel.cancel(3));
}

TEST_CASE("rescheduling an entry of a timer wheel moves it, and its old time no longer fires",
          "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  REQUIRE(wheel.schedule(1, 100));
  REQUIRE(wheel.schedule(1, 500));
  REQUIRE(wheel.schedule(2, 900));
  REQUIRE(wheel.schedule(2, 600));
  CHECK(wheel.size() == 2);
  CHECK(wheel.advance(100).empty());
  CHECK(wheel.advance(499).empty());
  CHECK(wheel.advance(500) == ids{1});
  CHECK(wheel.advance(600) == ids{2});
  CHECK(wheel.advance(900).empty());
}

TEST_CASE("an entry due in the past fires at the next advance of a timer wheel",
          "[domain][timer_wheel]") {
  timer_wheel wheel{1'000, small_wheel};
  REQUIRE(wheel.schedule(1, 10));
  REQUIRE(wheel.schedule(2, 1'000));
  REQUIRE(wheel.schedule(3, 1'005));
  CHECK(wheel.next_due() == 10);
  CHECK(wheel.advance(1'000) == ids{1, 2});
  // Time never goes backwards, and an earlier time answers nothing new.
  CHECK(wheel.advance(500).empty());
  CHECK(wheel.now() == 1'000);
  CHECK(wheel.advance(1'005) == ids{3});
}

TEST_CASE("a timer wheel refuses a due time beyond its horizon and forgets the old one",
          "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  CHECK(wheel.horizon_end() == 5'119);
  CHECK(wheel.schedule(1, 5'119));
  CHECK_FALSE(wheel.schedule(2, 5'120));
  CHECK_FALSE(wheel.contains(2));
  REQUIRE(wheel.schedule(3, 200));
  CHECK_FALSE(wheel.schedule(3, 6'000));
  CHECK_FALSE(wheel.contains(3));
  CHECK(wheel.size() == 1);
  CHECK(wheel.advance(5'118).empty());
  CHECK(wheel.advance(5'119) == ids{1});
  CHECK(wheel.horizon_end() == 5'119 + 5'119);
}

TEST_CASE("a timer wheel between ticks holds the last millisecond of its horizon exactly",
          "[domain][timer_wheel]") {
  // At 5 ms the horizon ends at 5,124, a whole turn of level 2 past the current slot.
  timer_wheel wheel{5, small_wheel};
  CHECK(wheel.horizon_end() == 5'124);
  REQUIRE(wheel.schedule(4, 5'124));
  CHECK(wheel.next_due() == 5'124);
  CHECK(wheel.advance(640).empty());
  CHECK(wheel.advance(5'123).empty());
  CHECK(wheel.advance(5'124) == ids{4});
}

TEST_CASE("a timer wheel jumped ahead by days fires everything it held, in order",
          "[domain][timer_wheel]") {
  const std::int64_t start = 1'700'000'000'003;
  const std::int64_t hour = 3'600'000;
  timer_wheel wheel{start};
  REQUIRE(wheel.schedule(2, start + 40 * hour));
  REQUIRE(wheel.schedule(1, start + hour));
  REQUIRE(wheel.schedule(3, start + 17));
  CHECK(wheel.advance(start + hour * 24 * 3) == ids{3, 1, 2});
  CHECK(wheel.size() == 0);
  // Many jumps of a day over a sparse wheel: each entry still fires on its own day.
  auto now = wheel.now();
  for (std::int64_t day = 0; day < 1'000; ++day) {
    REQUIRE(wheel.schedule(day, now + 5 * hour + day));
    now += 24 * hour;
    REQUIRE(wheel.advance(now) == ids{day});
  }
  CHECK(wheel.advance(now + 24 * hour * 365).empty());
}

TEST_CASE("a timer wheel answers ids by due time, then by id", "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  for (const std::int64_t id : {5, 3, 9}) REQUIRE(wheel.schedule(id, 400));
  REQUIRE(wheel.schedule(12, 390));
  REQUIRE(wheel.schedule(1, 401));
  CHECK(wheel.advance(1'000) == ids{12, 3, 5, 9, 1});
}

TEST_CASE("a timer wheel counts its entries per level", "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{0, 0, 0});
  REQUIRE(wheel.schedule(1, 0));
  REQUIRE(wheel.schedule(2, 79));
  REQUIRE(wheel.schedule(3, 80));
  REQUIRE(wheel.schedule(4, 639));
  REQUIRE(wheel.schedule(5, 640));
  REQUIRE(wheel.schedule(6, 5'000));
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{2, 2, 2});
  CHECK(wheel.size() == 6);
}

TEST_CASE("a timer wheel knows its earliest due time across levels", "[domain][timer_wheel]") {
  timer_wheel wheel{0, small_wheel};
  CHECK_FALSE(wheel.next_due().has_value());
  REQUIRE(wheel.schedule(1, 80));
  CHECK(wheel.advance(20).empty());
  // 90 ms now fits level 0, while the earlier 80 ms still waits on level 1.
  REQUIRE(wheel.schedule(2, 90));
  CHECK(wheel.level_sizes() == std::vector<std::size_t>{1, 1, 0});
  CHECK(wheel.next_due() == 80);
  REQUIRE(wheel.schedule(3, 3'000));
  CHECK(wheel.next_due() == 80);
  CHECK(wheel.advance(80) == ids{1});
  CHECK(wheel.next_due() == 90);
  CHECK(wheel.advance(90) == ids{2});
  CHECK(wheel.next_due() == 3'000);
  REQUIRE(wheel.schedule(4, 85));
  CHECK(wheel.next_due() == 85);
}

TEST_CASE("a timer wheel agrees with an ordered multimap over random operations",
          "[domain][timer_wheel]") {
  const auto geometry = GENERATE(wheel_geometry{7, 4, 3}, wheel_geometry{1, 2, 5},
                                 wheel_geometry{10, 8, 2}, wheel_geometry{5, 16, 1});
  // A fixed seed, so a failure replays the same operations.
  std::mt19937_64 random{20'261'130};  // NOLINT(cert-msc51-cpp)
  auto draw = [&random](std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>{low, high}(random);
  };
  const std::int64_t start = 1'000'003;
  timer_wheel wheel{start, geometry};
  const auto horizon = wheel.horizon_end() - start + 1;
  // Ordered by due time; `where` finds an id's node for cancels and moves.
  std::multimap<std::int64_t, std::int64_t> model;
  std::map<std::int64_t, std::multimap<std::int64_t, std::int64_t>::iterator> where;
  auto forget = [&](std::int64_t id) {
    const auto found = where.find(id);
    if (found == where.end()) return false;
    model.erase(found->second);
    where.erase(found);
    return true;
  };
  std::int64_t now = start;
  for (int step = 0; step < 6'000; ++step) {
    const auto id = draw(0, 199);
    const auto op = draw(0, 9);
    if (op < 5) {
      const auto due = now + draw(-horizon / 4, horizon + horizon / 4);
      forget(id);
      const bool held = due <= now + horizon - 1;
      REQUIRE(wheel.schedule(id, due) == held);
      if (held) where[id] = model.emplace(due, id);
    } else if (op < 6) {
      REQUIRE(wheel.cancel(id) == forget(id));
    } else {
      const auto kind = draw(0, 9);
      const auto jump = kind < 6 ? draw(0, 20) : kind < 9 ? draw(0, horizon) : draw(0, 5 * horizon);
      const auto asked = draw(0, 19) == 0 ? now - jump : now + jump;
      now = std::max(now, asked);
      ids expected;
      while (!model.empty() && model.begin()->first <= now) {
        const auto first = model.equal_range(model.begin()->first);
        ids same_due;
        for (auto it = first.first; it != first.second; ++it) same_due.push_back(it->second);
        std::sort(same_due.begin(), same_due.end());
        for (const auto fired : same_due) forget(fired);
        expected.insert(expected.end(), same_due.begin(), same_due.end());
      }
      REQUIRE(wheel.advance(asked) == expected);
      REQUIRE(wheel.now() == now);
    }
    REQUIRE(wheel.size() == model.size());
    REQUIRE(wheel.contains(id) == where.contains(id));
    const auto levels = wheel.level_sizes();
    REQUIRE(std::accumulate(levels.begin(), levels.end(), std::size_t{0}) == model.size());
    if (model.empty()) {
      REQUIRE_FALSE(wheel.next_due().has_value());
    } else {
      REQUIRE(wheel.next_due() == model.begin()->first);
    }
  }
}
