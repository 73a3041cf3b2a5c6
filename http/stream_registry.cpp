#include "http/stream_registry.hpp"

#include <algorithm>
#include <iterator>

namespace schedulerd::http {

bool stream_registry::begin() {
  std::lock_guard<std::mutex> guard{mutex_};
  if (stopped_) {
    return false;
  }
  ++starting_;
  return true;
}

void stream_registry::add(std::uint64_t connection, std::shared_ptr<ending_stream> stream,
                          std::shared_ptr<body_stream> body) {
  std::lock_guard<std::mutex> guard{mutex_};
  open_.push_back({connection, std::move(stream), std::move(body)});
  --starting_;
  started_.notify_all();
}

void stream_registry::abandon() noexcept {
  std::lock_guard<std::mutex> guard{mutex_};
  --starting_;
  started_.notify_all();
}

// Takes the matching streams out under the lock; the caller ends them outside it (a producer may
// be writing to one right now), and the taken entries' bodies go when the caller drops them.
template <class Match>
std::vector<stream_registry::entry> stream_registry::take_where(Match match) {
  std::vector<entry> taken;
  std::lock_guard<std::mutex> guard{mutex_};
  auto split = std::stable_partition(open_.begin(), open_.end(),
                                     [&match](const entry& e) { return !match(e); });
  std::move(split, open_.end(), std::back_inserter(taken));
  open_.erase(split, open_.end());
  return taken;
}

void stream_registry::remove(const ending_stream* stream) {
  for (auto& e : take_where([stream](const entry& e) { return e.stream.get() == stream; })) {
    e.stream->end(false, nullptr);
  }
}

void stream_registry::connection_closed(std::uint64_t connection) {
  for (auto& e : take_where([connection](const entry& e) { return e.connection == connection; })) {
    e.stream->end(false, nullptr);
  }
}

void stream_registry::stop_all(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  {
    // A stream whose headers went out gets its first event and its end, like the others.
    std::unique_lock<std::mutex> guard{mutex_};
    stopped_ = true;
    started_.wait_until(guard, deadline, [this] { return starting_ == 0; });
  }
  std::vector<std::future<void>> written;
  for (auto& e : take_where([](const entry& /*unused*/) { return true; })) {
    auto promise = std::make_shared<std::promise<void>>();
    written.push_back(promise->get_future());
    e.stream->end(true, std::move(promise));
  }
  for (auto& one : written) {
    one.wait_until(deadline);
  }
}

std::size_t stream_registry::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return open_.size();
}

}  // namespace schedulerd::http
