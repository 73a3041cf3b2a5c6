#include "tests/support/http_test_client.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

namespace schedulerd::testing {

namespace {

// Set by the traffic recorder, read by every test thread that sends.
std::atomic<exchange_observer> current_observer{nullptr};

}  // namespace

providers::outbound_response call(std::string method, const std::string& url, std::string body,
                                  http::header_list headers, std::chrono::milliseconds timeout) {
  providers::outbound_request request;
  request.timeout = timeout;
  request.method = std::move(method);
  request.url = url;
  request.body = std::move(body);
  request.headers = std::move(headers);
  auto response = providers::send(request);
  if (auto* observe = current_observer.load()) {
    observe(request, response);
  }
  return response;
}

void observe_exchanges(exchange_observer observer) {
  current_observer.store(observer);
}

providers::outbound_response get(const std::string& url, http::header_list headers) {
  return call("GET", url, {}, std::move(headers));
}

providers::outbound_response post_json(const std::string& url, std::string body,
                                       http::header_list headers) {
  const bool typed = std::any_of(headers.begin(), headers.end(),
                                 [](const auto& header) { return header.first == "content-type"; });
  if (!typed) {
    headers.emplace_back("content-type", "application/json");
  }
  return call("POST", url, std::move(body), std::move(headers));
}

nlohmann::json body_of(const providers::outbound_response& res) {
  return nlohmann::json::parse(res.body, nullptr, false);
}

}  // namespace schedulerd::testing
