#pragma once

#include "http/message.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// A loopback HTTP server whose routes a test programs; it records every request it receives.
///
/// It listens on 127.0.0.1 on a port the kernel picks. Handlers run one at a time on the server
/// thread, so they must not block (use set_latency for slow answers) and must guard state the
/// test thread also reads. Unknown routes get 404 with a JSON body; a handler that throws gets 500.
/// Requests reach handlers with lower-case header names, the query string apart from the path, the
/// body, `route` set to the matched pattern and `path_params` filled from its
/// `:name` or `{name}` segments.
class fake_server {
 public:
  /// Computes the answer to one request; runs on the server thread.
  using handler = std::function<http::response(const http::request&)>;

  /// Starts listening; throws std::system_error when the server cannot start.
  fake_server();

  /// Stops the server and waits for its threads before the handlers are destroyed.
  ~fake_server();

  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;

  /// Answers `method` ("*" for any) on `path` with `h`; `:name` and `{name}` segments match any
  /// one segment, and later registrations win.
  void on(std::string method, const std::string& path, handler h);

  /// Delays every answer by `delay` after its handler ran, without holding a server thread.
  void set_latency(std::chrono::milliseconds delay);

  /// Delays the answers to `method` requests whose path starts with `path_prefix` by `delay`
  /// instead (the last such setting that matches wins).
  void set_latency_of(std::string method, std::string path_prefix, std::chrono::milliseconds delay);

  /// The port the server listens on.
  [[nodiscard]] std::uint16_t port() const;

  /// The server's root URL, "http://127.0.0.1:PORT", without a trailing slash.
  [[nodiscard]] std::string base_url() const;

  /// Every request received so far, oldest first (a copy, safe to take while requests arrive).
  [[nodiscard]] std::vector<http::request> requests() const;

  /// How many requests have been received for exactly `path` (query string excluded).
  [[nodiscard]] std::size_t count(const std::string& path) const;

  /// Waits until at least `n` requests for `path` have arrived; false if `timeout` passed first.
  [[nodiscard]] bool wait_for(const std::string& path, std::size_t n,
                              std::chrono::milliseconds timeout) const;

  /// How many connections the requests received so far came on (a kept-alive one counts once).
  [[nodiscard]] std::size_t connections() const;

  /// Forgets the requests recorded so far and their connections (routes and latency stay).
  void clear_requests();

  /// Stops (false) or resumes recording requests: a benchmark that counts what it needs in its
  /// handlers spares each request the copy, and its memory.
  void set_recording(bool on);

  /// The answer the routes give `request`, without recording it: for another transport serving
  /// the same routes (bare_http_server).
  [[nodiscard]] http::response answer(http::request request) const;

  /// How long the server holds its answer to `request` (set_latency, set_latency_of).
  [[nodiscard]] std::chrono::milliseconds latency_for(const http::request& request) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace schedulerd::testing
