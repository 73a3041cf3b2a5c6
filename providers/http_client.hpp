#pragma once

#include "domain/header_list.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedulerd::providers {

/// One outbound HTTP request: method, absolute URL, headers, body and a total timeout.
struct outbound_request {
  std::string method = "GET";
  std::string url;
  domain::header_list headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
};

/// The answer to an outbound request, or a transport failure (status 0 with `error` set).
struct outbound_response {
  int status = 0;
  domain::header_list headers;
  std::string body;
  std::string error;
  std::chrono::milliseconds latency{0};
  bool timed_out = false;

  /// The first response header named `name` (lower-case), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;

  /// True when the server answered (any status), false on a transport failure.
  [[nodiscard]] bool answered() const noexcept { return status != 0; }
};

/// Initialises libcurl once per process; call it from main before starting threads.
void init_http_client();

/// Sends `request` and waits for the whole response; never throws.
///
/// Each calling thread keeps its curl handles (and so its keep-alive connections and DNS cache);
/// the client follows no redirects, verifies TLS, and sends only the headers it is given plus
/// Host, Accept and Content-Length (no default Content-Type, no `Expect: 100-continue`).
outbound_response send(const outbound_request& request);

/// Sends every request at once from the calling thread and waits for the last response; the
/// answers come in the requests' order, each as `send` would give it.
std::vector<outbound_response> send_all(const std::vector<outbound_request>& requests);

}  // namespace schedulerd::providers
