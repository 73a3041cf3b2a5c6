#pragma once

#include "http/message.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

namespace schedulerd::http {

/// A streamed response body as the server ends it.
class ending_stream {
 public:
  virtual ~ending_stream() = default;

  /// Ends the body: with its last chunk when `polite` (then `written`, when given, is told once
  /// that went out or failed), else by just letting go of the connection.
  virtual void end(bool polite, std::shared_ptr<std::promise<void>> written) noexcept = 0;
};

/// The streamed responses being written, by connection. A stream ends when its connection closes
/// (the client left, or a write failed or timed out), when its producer ends it, and when the
/// server stops; ending it drops its body, which stops the producer.
class stream_registry {
 public:
  /// Announces a stream about to start; false once the server is stopping. Each true is followed
  /// by one add() or abandon().
  bool begin();

  /// Adds a stream that begin() announced, now started, on `connection`.
  void add(std::uint64_t connection, std::shared_ptr<ending_stream> stream,
           std::shared_ptr<body_stream> body);

  /// A stream that begin() announced did not start.
  void abandon() noexcept;

  /// Forgets `stream` (its producer ended it), dropping its body.
  void remove(const ending_stream* stream);

  /// Ends the streams of `connection`, which closed, without a last chunk.
  void connection_closed(std::uint64_t connection);

  /// Refuses new streams and ends every open one with its last chunk, waiting up to `grace` for
  /// the streams still starting and for those chunks to go out.
  void stop_all(std::chrono::milliseconds grace);

  /// How many streams are open.
  [[nodiscard]] std::size_t size() const;

 private:
  struct entry {
    std::uint64_t connection;
    std::shared_ptr<ending_stream> stream;
    std::shared_ptr<body_stream> body;
  };

  template <class Match>
  std::vector<entry> take_where(Match match);

  mutable std::mutex mutex_;
  std::condition_variable started_;
  std::vector<entry> open_;
  std::size_t starting_ = 0;
  bool stopped_ = false;
};

}  // namespace schedulerd::http
