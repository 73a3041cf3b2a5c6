#pragma once

#include "bench/support/report.hpp"

#include <string>

namespace schedulerd::bench {

/// Where one run of one scenario reports, and how big it is.
struct run_context {
  /// The report every figure goes to.
  report& out;
  /// "postgres" or "sqlite".
  std::string backend;
  /// 1-based run number.
  int run = 1;
  /// Tiny sizes, for `make check`: proves the harness works, measures nothing.
  bool smoke = false;
};

}  // namespace schedulerd::bench
