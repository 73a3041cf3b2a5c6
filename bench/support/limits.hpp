#pragma once

#include "bench/support/fake_provider.hpp"
#include "bench/support/wrk.hpp"
#include "tests/support/test_databases.hpp"

#include <chrono>
#include <cstdint>

namespace schedulerd::bench {

/// What the bare SQL loop achieved.
struct sql_loop_result {
  /// Messages claimed and recorded as sent.
  std::int64_t messages = 0;
  /// Messages per second.
  double per_second = 0;
  /// The time spent recording the outcomes alone (the claims excluded).
  double record_ms = 0;
};

/// The database's own ceiling for the engine's work: puts every sent message back to pending,
/// due now, then claims (batches of 500) and records them as sent with the engine's own storage
/// functions in a loop, with no service running.
sql_loop_result run_sql_loop(const testing::test_database& database);

/// What the bare libcurl client achieved.
struct curl_loop_result {
  /// Texts posted, and how many of them failed (transport error or a non-2xx answer).
  std::int64_t posts = 0;
  std::int64_t failed = 0;
  /// From the first post to the last answer.
  double elapsed_ms = 0;
  /// The CPU time this process (the client and the fake provider) spent meanwhile.
  double cpu_ms = 0;
  /// Of it, the client's own: the thread that drives the transfers.
  double client_cpu_ms = 0;
};

/// The floor of any sender built on libcurl on this machine: `posts` texts posted to the fake
/// provider from one thread, 50 transfers at once on kept-alive connections, each refilled as
/// one ends, with no database and no actors; forgets what the provider recorded afterwards.
curl_loop_result run_curl_loop(fake_provider& provider, std::int64_t posts);

/// The fake provider's own capacity: `wrk` with 50 connections posting one text for `duration`;
/// forgets what it recorded afterwards.
wrk_result provider_capacity(fake_provider& provider, std::chrono::seconds duration);

}  // namespace schedulerd::bench
