#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace schedulerd::storage {

/// A least-recently-used map from SQL text to a prepared statement (or its name), bounded so that
/// dynamically built SQL cannot grow it without limit.
template <class T>
class statement_cache {
 public:
  /// Creates an empty cache that holds at most `capacity` statements (at least one).
  explicit statement_cache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// The entry cached for `sql`, marked as the most recently used, or nullptr.
  T* find(std::string_view sql) {
    const auto hit = index_.find(sql);
    if (hit == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, hit->second);
    return &hit->second->second;
  }

  /// Removes and returns the least recently used entry if the cache is full, for explicit release.
  std::optional<T> make_room() {
    if (entries_.size() < capacity_) return std::nullopt;
    std::optional<T> oldest{std::move(entries_.back().second)};
    index_.erase(entries_.back().first);
    entries_.pop_back();
    return oldest;
  }

  /// Caches `entry` for an uncached `sql` as the most recently used one, dropping the oldest when
  /// full.
  T& insert(std::string_view sql, T entry) {
    while (entries_.size() >= capacity_) make_room();
    entries_.emplace_front(std::string(sql), std::move(entry));
    index_.emplace(entries_.front().first, entries_.begin());
    return entries_.front().second;
  }

 private:
  using entry_list = std::list<std::pair<std::string, T>>;

  std::size_t capacity_;
  entry_list entries_;  // most recently used first; keys stay put, so index_ may view them
  std::unordered_map<std::string_view, typename entry_list::iterator> index_;
};

}  // namespace schedulerd::storage
