#pragma once

#include "http/message.hpp"

#include <string>
#include <vector>

namespace schedulerd::http {

/// The CORS policy: which browser origins may call the API.
class cors_policy {
 public:
  /// Allows exactly the listed origins (`scheme://host[:port]`).
  explicit cors_policy(std::vector<std::string> allowed_origins);

  /// Whether `req` is a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
  [[nodiscard]] static bool is_preflight(const request& req);

  /// The 204 answer to a preflight for a path that allows `methods`.
  [[nodiscard]] response preflight(const request& req,
                                   const std::vector<std::string>& methods) const;

  /// Adds the allow-origin headers to `res` when the request's origin is allowed.
  void decorate(const request& req, response& res) const;

 private:
  [[nodiscard]] bool allowed(const request& req) const;

  std::vector<std::string> allowed_origins_;
};

}  // namespace schedulerd::http
