#pragma once

#include "actors/introspection.hpp"
#include "http/message.hpp"
#include "services/admin.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <variant>

namespace schedulerd::http {

/// How many console streams (`GET /api/admin/stream`) may be open at once.
struct stream_caps {
  /// Per user: a few browser tabs.
  std::size_t per_user = 4;
  /// In all: each stream asks for a snapshot every second.
  std::size_t total = 32;
  /// Time between two snapshots.
  std::chrono::milliseconds every{1000};
};

/// Counts the open console streams against their caps; any thread may use it.
class stream_counter : public std::enable_shared_from_this<stream_counter> {
 public:
  /// Counts against `caps`.
  explicit stream_counter(stream_caps caps) : caps_(caps) {}

  /// A stream slot for `user_id` (given back when the returned handle is dropped), or an error
  /// response: 429 over the user's cap, 503 over the total.
  std::variant<std::shared_ptr<const void>, response> acquire(std::int64_t user_id);

  /// The caps counted against.
  [[nodiscard]] const stream_caps& caps() const noexcept { return caps_; }

 private:
  void release(std::int64_t user_id) noexcept;

  stream_caps caps_;
  std::mutex mutex_;
  std::map<std::int64_t, std::size_t> per_user_;
  std::size_t total_ = 0;
};

/// The Server-Sent Events answer of `GET /api/admin/stream` for admin `user_id`: `first` at once,
/// then a fresh snapshot of `admin` about every `caps.every` while the client stays, the user is
/// still an admin, and `slot` (from stream_counter::acquire) is held by the producer.
response admin_stream_response(caf::actor_system& system, const services::admin_actor& admin,
                               std::int64_t user_id, const actors::engine_snapshot& first,
                               std::shared_ptr<const void> slot, std::chrono::milliseconds every);

}  // namespace schedulerd::http
