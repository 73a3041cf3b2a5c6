#include "domain/timer_wheel.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

namespace schedulerd::domain {

namespace {

// Room above the horizon for `now + horizon` and for slot start times, so none overflows.
constexpr std::int64_t max_horizon_ms = std::numeric_limits<std::int64_t>::max() / 4;

// Rounds towards minus infinity, so times before the epoch still fall into their own slot.
std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const auto quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

std::int64_t floor_mod(std::int64_t value, std::int64_t divisor) {
  return value - floor_div(value, divisor) * divisor;
}

// A geometry that the arithmetic below can hold: levels that 64-bit milliseconds cannot span
// would never receive an entry, so they are dropped rather than overflowing.
wheel_geometry usable(wheel_geometry geometry) {
  geometry.tick_ms = std::clamp<std::int64_t>(geometry.tick_ms, 1, max_horizon_ms / 2);
  geometry.slots = std::clamp<std::int64_t>(geometry.slots, 2, max_horizon_ms / geometry.tick_ms);
  int levels = 1;
  auto span = geometry.tick_ms * geometry.slots;
  while (levels < geometry.levels && span <= max_horizon_ms / geometry.slots) {
    span *= geometry.slots;
    ++levels;
  }
  geometry.levels = levels;
  return geometry;
}

}  // namespace

timer_wheel::timer_wheel(std::int64_t now_ms, wheel_geometry geometry)
    : geometry_(usable(geometry)),
      now_ms_(now_ms),
      tick_(floor_div(now_ms, geometry_.tick_ms)),
      slots_(static_cast<std::size_t>(geometry_.slots) *
             static_cast<std::size_t>(geometry_.levels)),
      level_sizes_(static_cast<std::size_t>(geometry_.levels), 0) {
  widths_.push_back(1);
  for (int level = 0; level < geometry_.levels; ++level) {
    widths_.push_back(widths_.back() * geometry_.slots);
  }
}

bool timer_wheel::schedule(std::int64_t id, std::int64_t due_ms) {
  cancel(id);
  if (due_ms > horizon_end()) return false;
  place(id, due_ms);
  return true;
}

bool timer_wheel::cancel(std::int64_t id) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return false;
  unlink(found->second);
  entries_.erase(found);
  return true;
}

std::vector<std::int64_t> timer_wheel::advance(std::int64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  const auto target_tick = floor_div(now_ms_, geometry_.tick_ms);
  fired_list fired;
  // The current slot first: it holds what was scheduled in the past or earlier in this tick.
  expire(fired);
  // Only ticks where a slot holds something are visited, so a jump of days over a sparse wheel
  // costs a few scans of the slots, not one step per tick.
  while (const auto next = next_event(target_tick)) {
    tick_ = *next;
    for (int level = geometry_.levels - 1; level > 0; --level) {
      if (floor_mod(tick_, widths_[static_cast<std::size_t>(level)]) == 0) cascade(level);
    }
    expire(fired);
  }
  tick_ = target_tick;
  std::sort(fired.begin(), fired.end());
  std::vector<std::int64_t> ids;
  ids.reserve(fired.size());
  for (const auto& [due_ms, id] : fired) ids.push_back(id);
  return ids;
}

std::optional<std::int64_t> timer_wheel::next_due() const {
  std::optional<std::int64_t> earliest;
  for (int level = 0; level < geometry_.levels; ++level) {
    if (level_sizes_[static_cast<std::size_t>(level)] == 0) continue;
    const auto block = floor_div(tick_, widths_[static_cast<std::size_t>(level)]);
    // Slots follow their time ranges from the current one on, so the first one holding anything
    // holds the level's earliest. The current level-0 slot is the exception: a single-level wheel
    // also keeps there what is due one whole turn later, so the scan goes on past it.
    for (std::int64_t step = level == 0 ? 0 : 1; step <= geometry_.slots; ++step) {
      const auto& ids = slots_[slot_index(level, floor_mod(block + step, geometry_.slots))];
      for (const auto id : ids) {
        const auto due_ms = entries_.find(id)->second.due_ms;
        earliest = earliest ? std::min(*earliest, due_ms) : due_ms;
      }
      if (step > 0 && !ids.empty()) break;
    }
  }
  return earliest;
}

bool timer_wheel::contains(std::int64_t id) const {
  return entries_.contains(id);
}

std::size_t timer_wheel::size() const noexcept {
  return entries_.size();
}

std::vector<std::size_t> timer_wheel::level_sizes() const {
  return level_sizes_;
}

std::int64_t timer_wheel::horizon_end() const noexcept {
  const auto horizon_ms = geometry_.tick_ms * widths_.back();
  if (now_ms_ > std::numeric_limits<std::int64_t>::max() - horizon_ms) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return now_ms_ + horizon_ms - 1;
}

std::int64_t timer_wheel::now() const noexcept {
  return now_ms_;
}

std::size_t timer_wheel::slot_index(int level, std::int64_t slot) const {
  return static_cast<std::size_t>(level) * static_cast<std::size_t>(geometry_.slots) +
         static_cast<std::size_t>(slot);
}

void timer_wheel::place(std::int64_t id, std::int64_t due_ms) {
  const auto due_tick = floor_div(due_ms, geometry_.tick_ms);
  int level = 0;
  // Overdue entries wait in the current slot, which the next advance looks at first.
  auto slot = floor_mod(tick_, geometry_.slots);
  if (due_tick > tick_) {
    const auto ahead = due_tick - tick_;
    while (level + 1 < geometry_.levels && ahead >= widths_[static_cast<std::size_t>(level) + 1]) {
      ++level;
    }
    // At most one whole turn of the level ahead: that lands in the slot passed most recently,
    // which is not visited again until the turn comes round.
    slot =
        floor_mod(floor_div(due_tick, widths_[static_cast<std::size_t>(level)]), geometry_.slots);
  }
  auto& ids = slots_[slot_index(level, slot)];
  ids.push_back(id);
  entries_.insert_or_assign(id, entry{due_ms, level, slot, std::prev(ids.end())});
  ++level_sizes_[static_cast<std::size_t>(level)];
}

void timer_wheel::unlink(const entry& held) {
  slots_[slot_index(held.level, held.slot)].erase(held.position);
  --level_sizes_[static_cast<std::size_t>(held.level)];
}

void timer_wheel::expire(fired_list& fired) {
  auto& ids = slots_[slot_index(0, floor_mod(tick_, geometry_.slots))];
  for (auto position = ids.begin(); position != ids.end();) {
    const auto found = entries_.find(*position);
    // Later in the current tick, or (single level) a whole turn ahead: not yet.
    if (found->second.due_ms > now_ms_) {
      ++position;
      continue;
    }
    fired.emplace_back(found->second.due_ms, found->first);
    entries_.erase(found);
    position = ids.erase(position);
    --level_sizes_[0];
  }
}

void timer_wheel::cascade(int level) {
  const auto block = floor_div(tick_, widths_[static_cast<std::size_t>(level)]);
  std::list<std::int64_t> ids;
  ids.swap(slots_[slot_index(level, floor_mod(block, geometry_.slots))]);
  level_sizes_[static_cast<std::size_t>(level)] -= ids.size();
  // The slot's whole range starts now, so every entry in it moves to a finer level.
  for (const auto id : ids) place(id, entries_.find(id)->second.due_ms);
}

std::optional<std::int64_t> timer_wheel::next_event(std::int64_t until_tick) const {
  std::optional<std::int64_t> earliest;
  for (int level = 0; level < geometry_.levels; ++level) {
    if (level_sizes_[static_cast<std::size_t>(level)] == 0) continue;
    const auto width = widths_[static_cast<std::size_t>(level)];
    const auto block = floor_div(tick_, width);
    // Up to a whole turn: the last step is the current slot again, for what is due a turn later.
    for (std::int64_t step = 1; step <= geometry_.slots; ++step) {
      const auto starts = (block + step) * width;
      if (starts > until_tick || (earliest && starts >= *earliest)) break;
      if (!slots_[slot_index(level, floor_mod(block + step, geometry_.slots))].empty()) {
        earliest = starts;
        break;
      }
    }
  }
  return earliest;
}

}  // namespace schedulerd::domain
