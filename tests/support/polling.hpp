#pragma once

#include <chrono>
#include <thread>

// Tests wait for asynchronous effects by polling with a deadline, never by sleeping a fixed time:
//
//   CHECK(testing::eventually([&] { return live_sessions(registry) == 0; }));

namespace schedulerd::testing {

/// Calls `ready` every `step` until it returns true (true) or `timeout` passes (false).
template <class Predicate>
bool eventually(Predicate ready, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                std::chrono::milliseconds step = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(step);
  }
  return true;
}

}  // namespace schedulerd::testing
