#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace schedulerd::domain {

/// The shape of a timer wheel: slot width, slots per level and levels.
struct wheel_geometry {
  /// The width of a level-0 slot in milliseconds.
  std::int64_t tick_ms = 10;
  /// Slots per level; each level's slot spans a whole lower level.
  std::int64_t slots = 256;
  /// Levels; the wheel holds due times up to tick_ms * slots^levels ahead.
  int levels = 3;
};

/// A hierarchical timer wheel of message ids keyed by due time (ms since the epoch), in the
/// manner of Varghese and Lauck with Kafka's cascading: schedule, move and cancel are O(1) plus
/// O(levels), entries of a higher level cascade into finer levels as time nears them, and time
/// is only ever what the caller says it is (no clock inside). Due times beyond the horizon are
/// refused, so the wheel only ever holds the near future.
class timer_wheel {
 public:
  /// An empty wheel whose time starts at `now_ms`.
  explicit timer_wheel(std::int64_t now_ms, wheel_geometry geometry = {});

  /// Adds `id` due at `due_ms`, or moves it there when already held; a due time in the past
  /// expires at the next advance. False (and `id` no longer held) when beyond the horizon.
  bool schedule(std::int64_t id, std::int64_t due_ms);

  /// Removes `id`; false when it was not held.
  bool cancel(std::int64_t id);

  /// Moves time to `now_ms` (never backwards) and answers the ids due at or before it, earliest
  /// first.
  std::vector<std::int64_t> advance(std::int64_t now_ms);

  /// The earliest due time held, if any.
  [[nodiscard]] std::optional<std::int64_t> next_due() const;

  /// Whether `id` is held.
  [[nodiscard]] bool contains(std::int64_t id) const;

  /// How many ids are held.
  [[nodiscard]] std::size_t size() const noexcept;

  /// How many ids each level holds, level 0 first.
  [[nodiscard]] std::vector<std::size_t> level_sizes() const;

  /// The latest due time the wheel accepts now (`now` + horizon - 1).
  [[nodiscard]] std::int64_t horizon_end() const noexcept;

  /// The wheel's current time.
  [[nodiscard]] std::int64_t now() const noexcept;

 private:
  // Implementation's choice; see timer_wheel.cpp.
  struct entry {
    std::int64_t due_ms = 0;
    int level = 0;
    std::int64_t slot = 0;
    std::list<std::int64_t>::iterator position;
  };
  using fired_list = std::vector<std::pair<std::int64_t, std::int64_t>>;

  [[nodiscard]] std::size_t slot_index(int level, std::int64_t slot) const;
  void place(std::int64_t id, std::int64_t due_ms);
  void unlink(const entry& held);
  void expire(fired_list& fired);
  void cascade(int level);
  [[nodiscard]] std::optional<std::int64_t> next_event(std::int64_t until_tick) const;

  wheel_geometry geometry_;
  std::int64_t now_ms_;
  // The level-0 slot that time has reached: floor(now_ms_ / tick_ms).
  std::int64_t tick_;
  // Ticks spanned by one slot of each level, then by the whole wheel.
  std::vector<std::int64_t> widths_;
  // Every level's slots, level 0 first.
  std::vector<std::list<std::int64_t>> slots_;
  std::vector<std::size_t> level_sizes_;
  std::unordered_map<std::int64_t, entry> entries_;
};

}  // namespace schedulerd::domain
