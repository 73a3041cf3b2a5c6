#include "http/cors.hpp"

#include <algorithm>

namespace schedulerd::http {

cors_policy::cors_policy(std::vector<std::string> allowed_origins)
    : allowed_origins_(std::move(allowed_origins)) {}

bool cors_policy::is_preflight(const request& req) {
  return req.method == "OPTIONS" && req.header("origin") &&
         req.header("access-control-request-method");
}

bool cors_policy::allowed(const request& req) const {
  auto origin = req.header("origin");
  return origin && std::find(allowed_origins_.begin(), allowed_origins_.end(), *origin) !=
                       allowed_origins_.end();
}

response cors_policy::preflight(const request& req, const std::vector<std::string>& methods) const {
  response res;
  res.status = 204;
  if (allowed(req)) {
    std::string joined;
    for (const auto& method : methods) {
      joined += (joined.empty() ? "" : ", ") + method;
    }
    res.set_header("access-control-allow-methods", joined);
    res.set_header("access-control-allow-headers",
                   "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
    res.set_header("access-control-max-age", "600");
  }
  decorate(req, res);
  return res;
}

void cors_policy::decorate(const request& req, response& res) const {
  if (!req.header("origin")) {
    return;
  }
  // Caches must not serve one origin's answer to another.
  res.set_header("vary", "Origin");
  if (allowed(req)) {
    res.set_header("access-control-allow-origin", std::string{*req.header("origin")});
    res.set_header("access-control-expose-headers",
                   "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After");
  }
}

}  // namespace schedulerd::http
