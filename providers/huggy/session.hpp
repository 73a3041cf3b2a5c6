#pragma once

#include "domain/provider_records.hpp"
#include "providers/connector.hpp"
#include "providers/http_client.hpp"

#include <optional>
#include <string>
#include <vector>

namespace schedulerd::providers::huggy {

/// One call to Huggy's API: `method` to `api_root + path` with the JSON text `body` (none when
/// empty).
struct api_call {
  std::string method;
  std::string path;
  std::string body;
};

/// Authorised calls to Huggy's API for one connection: it holds the credentials, renews the access
/// token shortly before it expires and once after a 401, and classifies every failure.
class session {
 public:
  /// Calls go to `api_root` (the API base URL, with the company prefix if any).
  session(domain::field_values credentials, std::string api_root,
          connector_environment environment);

  /// Sends `method` to `api_root + path` (which may carry a query) with the JSON text `body`
  /// (none when empty); answers Huggy's 2xx response or why the call failed.
  call_result<outbound_response> call(const std::string& method, const std::string& path,
                                      const std::string& body = {});

  /// Makes the calls at once and answers each as `call` would, in their order; one refresh
  /// serves every call refused with a 401.
  std::vector<call_result<outbound_response>> call_all(const std::vector<api_call>& calls);

  /// Trades the refresh token for new tokens; false (and no call) when there is none.
  call_result<bool> refresh();

  /// The credentials as they are now.
  [[nodiscard]] const domain::field_values& credentials() const { return credentials_; }

  /// Counts the refreshes so far.
  [[nodiscard]] int version() const { return version_; }

 private:
  [[nodiscard]] bool can_refresh() const;
  std::optional<call_error> refresh_if_due();
  [[nodiscard]] outbound_request request_for(const api_call& call) const;
  [[nodiscard]] call_error redacted(call_error error) const;

  domain::field_values credentials_;
  std::string api_root_;
  connector_environment environment_;
  int version_ = 0;
};

}  // namespace schedulerd::providers::huggy
