#pragma once

#include "domain/header_list.hpp"

#include <chrono>
#include <string>

namespace schedulerd::bench {

/// One `wrk` request shape.
struct wrk_request {
  /// GET, POST, ...
  std::string method = "GET";
  /// The full URL.
  std::string url;
  /// Headers sent with every request.
  domain::header_list headers;
  /// The body sent with every request.
  std::string body;
};

/// What `wrk --latency` printed.
struct wrk_result {
  /// Requests per second.
  double per_second = 0;
  /// Latency percentiles, in ms.
  double p50_ms = 0;
  /// 99th percentile latency, in ms.
  double p99_ms = 0;
  /// Requests answered outside 2xx/3xx, plus socket errors.
  long long errors = 0;
  /// wrk's "Socket errors" line (connect, read, write, timeout), empty when it printed none.
  std::string socket_errors;
  /// Requests completed.
  long long requests = 0;
};

/// Runs `wrk -t2 -c<connections> -d<duration> --latency --timeout 60s` on `request`; throws
/// std::runtime_error when wrk is missing or prints nothing readable.
wrk_result run_wrk(const wrk_request& request, int connections, std::chrono::seconds duration);

}  // namespace schedulerd::bench
