#include "http/request_metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace schedulerd::http {

request_metrics::request_metrics(const std::shared_ptr<metrics::registry>& registry)
    : registry_(registry),
      requests_(
          registry->add_counter("schedulerd_http_requests_total",
                                "HTTP requests answered, by route pattern, method and status.",
                                {"route", "method", "status"})),
      duration_(registry->add_histogram(
          "schedulerd_http_request_duration_seconds",
          "Time from a request's arrival at the edge to its answer, by route pattern.", {"route"},
          metrics::histogram::default_seconds())),
      rate_limited_(registry->add_counter(
          "schedulerd_rate_limited_total",
          "Requests refused with 429, by the budget that ran out: ip, auth, token or account.",
          {"scope"})) {
  // Every scope shows from the start, at 0, so a rate over it exists before the first refusal.
  for (const std::string_view scope : {"ip", "auth", "token", "account"}) {
    rate_limited_.with({scope});
  }
}

void request_metrics::record(std::string_view route, std::string_view method, int status,
                             std::chrono::steady_clock::duration elapsed,
                             std::optional<std::string_view> rate_limited_scope) noexcept {
  try {
    const std::string_view route_label = route.empty() ? std::string_view{"unmatched"} : route;
    std::array<char, 8> digits{};
    auto [end, error] = std::to_chars(digits.data(), digits.data() + digits.size(), status);
    const std::string_view status_label =
        error == std::errc{} ? std::string_view(digits.data(), end - digits.data()) : "other";
    requests_.with({route_label, method_label(method), status_label}).add();
    duration_.with({route_label}).observe(std::chrono::duration<double>(elapsed).count());
    if (rate_limited_scope) {
      rate_limited_.with({*rate_limited_scope}).add();
    }
  } catch (...) {
    // Only creating a series allocates; a request is answered whether or not it was counted.
  }
}

std::string_view method_label(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 7> known{"GET",   "HEAD",   "POST",   "PUT",
                                                         "PATCH", "DELETE", "OPTIONS"};
  const auto* found = std::find(known.begin(), known.end(), method);
  return found == known.end() ? std::string_view{"other"} : *found;
}

std::string_view rate_limited_scope(bool budget_refused, access who, bool authenticated) noexcept {
  if (!budget_refused) {
    return "account";
  }
  switch (who) {
    case access::auth_endpoint:
      return "auth";
    case access::authenticated:
      return authenticated ? "token" : "ip";
    case access::open:
      break;
  }
  return "ip";
}

}  // namespace schedulerd::http
