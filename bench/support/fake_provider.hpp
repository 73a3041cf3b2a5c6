#pragma once

#include "tests/support/bare_http_server.hpp"
#include "tests/support/fake_huggy.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace schedulerd::bench {

/// What the fake provider saw of one message: a key is the chat id and the text sent into it.
struct message_receipts {
  /// When the first attempt arrived (system clock, epoch ms).
  std::int64_t first_at_ms = 0;
  /// When the accepted attempt arrived (system clock, epoch ms); 0 while none was accepted.
  std::int64_t accepted_at_ms = 0;
  /// Every send request for the message, refused ones included.
  int attempts = 0;
  /// Send requests answered 201.
  int accepted = 0;
};

/// How the fake provider answers sends.
struct provider_behaviour {
  /// Delay of every post of a text (a send's one call when its chat was looked up ahead; the
  /// lookup answers at once), served by a timer (no thread waits).
  std::chrono::milliseconds latency{0};
  /// Answers 503 to the first attempt of every Nth distinct message (0: never).
  int fail_first_every = 0;
  /// How many contacts the account has.
  std::int64_t contacts = 45;
};

/// Huggy for the benchmarks: the test suite's fake_huggy (OAuth, profile, contacts), with the
/// send path (`GET /chats?customer=`, `POST /chats/{id}/messages`) answered in constant time,
/// timed and counted per message.
///
/// Each contact has one open chat whose id is the contact's id, so a send costs two requests (one
/// when its chat was looked up ahead) and no lookup grows with the number of contacts.
class fake_provider {
 public:
  /// Starts on a free loopback port.
  explicit fake_provider(const provider_behaviour& behaviour);

  /// The API's base URL, `http://127.0.0.1:PORT/v3` (served by the bare transport).
  [[nodiscard]] std::string api_base_url() const { return api_.base_url() + "/v3"; }
  /// The auth server's base URL.
  [[nodiscard]] std::string auth_base_url() const { return huggy_.auth_base_url(); }
  /// The loopback URL of one send (for measuring the fake itself with wrk).
  [[nodiscard]] std::string sample_send_url() const;
  /// The body of one send to sample_send_url().
  [[nodiscard]] static std::string sample_send_body();

  /// Every message seen so far, by key.
  [[nodiscard]] std::map<std::string, message_receipts> receipts() const;
  /// How many sends were answered 201.
  [[nodiscard]] std::int64_t accepted() const;
  /// Forgets every message seen.
  void reset();

 private:
  http::response chats(const http::request& request) const;
  http::response post_message(const http::request& request);

  provider_behaviour behaviour_;
  mutable std::mutex mutex_;  // guards the two members below
  std::unordered_map<std::string, message_receipts> receipts_;
  std::int64_t accepted_ = 0;
  testing::fake_huggy huggy_;  // after the state its handlers use, so it stops before it
  // The API's routes (huggy_'s) on a transport that costs little CPU: the real platform spends
  // its own, while this one's is taken from the service measured. Last: it stops first.
  testing::bare_http_server api_;
};

/// The key fake_provider files a send under.
std::string message_key(std::int64_t contact_id, const std::string& text);

}  // namespace schedulerd::bench
