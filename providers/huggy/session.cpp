#include "providers/huggy/session.hpp"

#include "providers/huggy/failures.hpp"
#include "providers/huggy/fields.hpp"
#include "providers/huggy/token_endpoint.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

namespace schedulerd::providers::huggy {

namespace {

// Renewing this long before the expiry leaves room for a slow call and some clock skew.
constexpr std::int64_t refresh_margin_ms = std::int64_t{5} * 60 * 1000;

std::optional<std::int64_t> expires_at(const domain::field_values& credentials) {
  const auto text = trimmed(credentials, expires_at_field);
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(text);
}

}  // namespace

session::session(domain::field_values credentials, std::string api_root,
                 connector_environment environment)
    : credentials_(std::move(credentials)),
      api_root_(std::move(api_root)),
      environment_(std::move(environment)) {}

call_result<outbound_response> session::call(const std::string& method, const std::string& path,
                                             const std::string& body) {
  auto answers = call_all({{method, path, body}});
  call_result<outbound_response> answer = std::move(answers.front());
  return answer;
}

std::vector<call_result<outbound_response>> session::call_all(const std::vector<api_call>& calls) {
  const int version_before = version_;
  if (auto failed = refresh_if_due()) {
    std::vector<call_result<outbound_response>> unauthorised(calls.size(),
                                                             redacted(std::move(*failed)));
    return unauthorised;
  }
  std::vector<outbound_request> requests;
  requests.reserve(calls.size());
  for (const auto& c : calls) requests.push_back(request_for(c));
  auto responses = send_all(requests);

  std::vector<std::size_t> refused;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].status == 401) refused.push_back(i);
  }
  // One renewal per call: a token refreshed a moment ago and refused again will not improve.
  std::optional<call_error> renewal_failed;
  if (!refused.empty() && version_ == version_before && can_refresh()) {
    auto renewed = refresh();
    if (auto* failed = std::get_if<call_error>(&renewed)) {
      renewal_failed = redacted(std::move(*failed));
    } else {
      std::vector<outbound_request> again;
      again.reserve(refused.size());
      for (const auto i : refused) again.push_back(request_for(calls[i]));
      auto answers = send_all(again);
      for (std::size_t k = 0; k < refused.size(); ++k) {
        responses[refused[k]] = std::move(answers[k]);
      }
    }
  }
  std::vector<call_result<outbound_response>> out;
  out.reserve(responses.size());
  for (auto& response : responses) {
    if (renewal_failed && response.status == 401) {
      out.emplace_back(*renewal_failed);
    } else if (auto failed = failure_of(response, environment_.now())) {
      out.emplace_back(redacted(std::move(*failed)));
    } else {
      out.emplace_back(std::move(response));
    }
  }
  return out;
}

call_result<bool> session::refresh() {
  if (!can_refresh()) return false;
  auto renewed = request_tokens(environment_,
                                {{"grant_type", "refresh_token"},
                                 {"refresh_token", trimmed(credentials_, refresh_token_field)},
                                 {"client_id", trimmed(credentials_, client_id_field)},
                                 {"client_secret", trimmed(credentials_, client_secret_field)}},
                                credentials_);
  if (auto* failed = std::get_if<call_error>(&renewed)) return redacted(std::move(*failed));
  credentials_ = std::move(std::get<domain::field_values>(renewed));
  ++version_;
  return true;
}

bool session::can_refresh() const {
  return !trimmed(credentials_, refresh_token_field).empty();
}

// Renews first when there is no access token yet or it expires within the margin. A renewal
// that fails for a passing reason is no reason to fail a call the current token can still make.
std::optional<call_error> session::refresh_if_due() {
  const bool has_token = !trimmed(credentials_, access_token_field).empty();
  const auto expiry = expires_at(credentials_);
  const auto now = environment_.now();
  const bool due = !has_token || (expiry && *expiry - now < refresh_margin_ms);
  if (!due) return std::nullopt;
  if (!can_refresh()) {
    if (has_token) return std::nullopt;  // it may still work; Huggy's 401 will say if not
    return call_error{failure_kind::rejected_credentials, 0,
                      "No Huggy access token yet: authorise the connection with Huggy first",
                      std::nullopt};
  }
  auto renewed = refresh();
  auto* failed = std::get_if<call_error>(&renewed);
  if (failed == nullptr) return std::nullopt;
  const bool still_valid = has_token && (!expiry || *expiry > now);
  if (failed->kind != failure_kind::rejected_credentials && still_valid) return std::nullopt;
  return std::move(*failed);
}

outbound_request session::request_for(const api_call& call) const {
  outbound_request request;
  request.method = call.method;
  request.url = api_root_ + call.path;
  request.timeout = environment_.timeout;
  request.headers = {{"Authorization", "Bearer " + trimmed(credentials_, access_token_field)},
                     {"Accept", "application/json"}};
  if (!call.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = call.body;
  return request;
}

call_error session::redacted(call_error error) const {
  redact(error, credentials_);
  return error;
}

}  // namespace schedulerd::providers::huggy
