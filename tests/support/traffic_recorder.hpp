#pragma once

// The API contract gate (scripts/contract-check) judges the exchanges tests have with the real
// service: when SCHEDULERD_TRAFFIC_LOG names a file, each exchange testing::call has with a
// watched base URL is appended to it as one JSON line. Without the variable nothing is recorded.

#include <string>

/// Records the test suite's HTTP exchanges with the real service.
namespace schedulerd::testing::traffic_recorder {

/// Records `testing::call`'s later exchanges with `base_url` (when SCHEDULERD_TRAFFIC_LOG is set).
void watch(const std::string& base_url);

/// Stops recording exchanges with `base_url`, whose port a fake server may reuse.
void unwatch(const std::string& base_url);

}  // namespace schedulerd::testing::traffic_recorder
