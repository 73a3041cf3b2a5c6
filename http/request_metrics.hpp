#pragma once

#include "http/router.hpp"
#include "metrics/registry.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

namespace schedulerd::http {

/// The series the edge updates for every request (docs/metrics.md), registered in a registry.
class request_metrics {
 public:
  /// Registers `schedulerd_http_requests_total`, `schedulerd_http_request_duration_seconds` and
  /// `schedulerd_rate_limited_total` in `registry`, which this object keeps alive.
  explicit request_metrics(const std::shared_ptr<metrics::registry>& registry);

  /// Counts one answered request. `route` is the matched pattern (empty: `unmatched`), never the
  /// raw path, so the number of series stays bounded; `rate_limited_scope` is set for a 429.
  void record(std::string_view route, std::string_view method, int status,
              std::chrono::steady_clock::duration elapsed,
              std::optional<std::string_view> rate_limited_scope) noexcept;

 private:
  std::shared_ptr<metrics::registry> registry_;
  metrics::labelled<metrics::counter>& requests_;
  metrics::labelled<metrics::histogram>& duration_;
  metrics::labelled<metrics::counter>& rate_limited_;
};

/// The label for `method`: the usual methods as given, anything else `other`.
std::string_view method_label(std::string_view method) noexcept;

/// The rate-limit scope of a 429: `ip`, `auth` or `token` when the edge's budget for `who` was
/// spent (`token` once `authenticated` found a user), `account` when a service refused (failed
/// logins on one account).
std::string_view rate_limited_scope(bool budget_refused, access who, bool authenticated) noexcept;

}  // namespace schedulerd::http
