#include "http/stream_registry.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// A stream that records how it was ended and tells `written` at once.
struct recorded_stream final : http::ending_stream {
  int polite_ends = 0;
  int dropped = 0;

  void end(bool polite, std::shared_ptr<std::promise<void>> written) noexcept override {
    (polite ? polite_ends : dropped) += 1;
    if (written) {
      written->set_value();
    }
  }
};

// A body that notes when it is dropped (which stops a real producer).
struct watched_body final : http::body_stream {
  explicit watched_body(std::shared_ptr<bool> dropped) : dropped_(std::move(dropped)) {}
  watched_body(const watched_body&) = delete;
  watched_body& operator=(const watched_body&) = delete;
  watched_body(watched_body&&) = delete;
  watched_body& operator=(watched_body&&) = delete;
  ~watched_body() override { *dropped_ = true; }
  void start(std::shared_ptr<http::stream_sink> /*sink*/) override {}

 private:
  std::shared_ptr<bool> dropped_;
};

struct open_stream {
  std::shared_ptr<recorded_stream> stream = std::make_shared<recorded_stream>();
  std::shared_ptr<bool> body_dropped = std::make_shared<bool>(false);

  void add_to(http::stream_registry& registry, std::uint64_t connection) const {
    REQUIRE(registry.begin());
    registry.add(connection, stream, std::make_shared<watched_body>(body_dropped));
  }
};

}  // namespace

TEST_CASE("a closed connection ends its own streams and stops their producers, no other",
          "[http][stream]") {
  http::stream_registry registry;
  open_stream first;
  open_stream second;
  first.add_to(registry, 7);
  second.add_to(registry, 8);
  registry.connection_closed(7);
  CHECK(first.stream->dropped == 1);
  CHECK(*first.body_dropped);
  CHECK(second.stream->dropped == 0);
  CHECK_FALSE(*second.body_dropped);
  CHECK(registry.size() == 1);

  // A stream its producer ended leaves too.
  registry.remove(second.stream.get());
  CHECK(*second.body_dropped);
  CHECK(registry.size() == 0);
}

TEST_CASE("stopping ends every stream with its last chunk and refuses new ones", "[http][stream]") {
  http::stream_registry registry;
  open_stream one;
  one.add_to(registry, 1);
  const auto before = std::chrono::steady_clock::now();
  registry.stop_all(5s);
  CHECK(std::chrono::steady_clock::now() - before < 1s);
  CHECK(one.stream->polite_ends == 1);
  CHECK(*one.body_dropped);
  CHECK_FALSE(registry.begin());
}

TEST_CASE("stopping waits for a stream that is starting, then ends it too", "[http][stream]") {
  http::stream_registry registry;
  REQUIRE(registry.begin());
  open_stream late;
  std::thread starter{[&] {
    // The headers are on their way; the stream joins while stop_all waits for it.
    std::this_thread::yield();
    registry.add(3, late.stream, std::make_shared<watched_body>(late.body_dropped));
  }};
  registry.stop_all(5s);
  starter.join();
  CHECK(late.stream->polite_ends == 1);
  CHECK(*late.body_dropped);
}
