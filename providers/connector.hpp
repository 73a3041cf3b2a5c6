#pragma once

#include "domain/clock.hpp"
#include "domain/field_errors.hpp"
#include "domain/provider_records.hpp"
#include "domain/provider_types.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The seam between the engine and a messaging platform. A connector is plain, blocking C++: the
// connector actor (actors/connector) owns one per connection and runs its calls off CAF's
// cooperative threads, one at a time, so a connector needs no locking.

namespace schedulerd::providers {

/// How the caller should treat a failed call.
enum class failure_kind {
  /// Try again later (timeouts, 5xx, 429): nothing says the next attempt fails too.
  retryable,
  /// Do not try again (4xx other than 401/408/429, an answer we cannot read).
  permanent,
  /// The platform rejected the credentials (401 after a refresh, or no refresh possible).
  rejected_credentials,
};

/// Why a call failed.
struct call_error {
  /// How to treat it.
  failure_kind kind = failure_kind::permanent;
  /// The platform's HTTP status; 0 when it never answered.
  int http_status = 0;
  /// One line for `last_error` and logs: the platform's own reason when it gave one, never a
  /// secret.
  std::string message;
  /// How long the platform asked us to wait (429 or 503 with `Retry-After`).
  std::optional<std::chrono::seconds> retry_after;
};

/// A call's value or why it failed.
template <class T>
using call_result = std::variant<T, call_error>;

/// What a successful connection test learned.
struct connection_check {
  /// The account the credentials belong to (the agent's name or email), for the user to recognise.
  std::string account;
  /// How long the platform took to answer.
  std::chrono::milliseconds latency{0};
};

/// What sending a text produced.
struct sent_text {
  /// The platform's id of the message (or of the chat or flow run that carried it); may be empty.
  std::string provider_message_id;
  /// The HTTP status of the final call.
  int http_status = 0;
  /// How long the calls took together.
  std::chrono::milliseconds latency{0};
};

/// One text to send and the contact, as the platform knows it, to send it to.
struct text_to_send {
  std::string external_contact_id;
  std::string text;
  /// Where `find_routes` found, ahead of time, that the text goes (Huggy: the contact's open
  /// chat); empty to find it when sending.
  std::string route;
};

/// One page of a platform's contact list.
struct contact_page {
  /// The contacts of the page, in the platform's order.
  std::vector<domain::contact_fields> contacts;
  /// Whether a later page may hold more (false at the first empty or short page).
  bool more = false;
};

/// Server-wide settings every connector of a type shares (never per user).
struct connector_environment {
  /// The platform API's base URL, without a trailing slash (`HUGGY_API_BASE_URL`).
  std::string api_base_url;
  /// The platform's OAuth server, without a trailing slash (`HUGGY_AUTH_BASE_URL`).
  std::string auth_base_url;
  /// Whole-call timeout of each outbound request.
  std::chrono::milliseconds timeout{15000};
  /// The injected clock (credential expiry).
  domain::clock_fn now = domain::system_now_ms;
};

/// One user's connection to a platform: blocking calls, never throwing, one at a time.
class connector {
 public:
  connector() = default;
  connector(const connector&) = delete;
  connector& operator=(const connector&) = delete;
  connector(connector&&) = delete;
  connector& operator=(connector&&) = delete;
  /// Releases what the connector holds.
  virtual ~connector() = default;

  /// Checks that the platform accepts the credentials.
  virtual call_result<connection_check> test_connection() = 0;

  /// Reads page `page` (0-based) of the account's contacts.
  virtual call_result<contact_page> list_contacts(int page) = 0;

  /// Asks the platform for contacts matching `query` (Huggy: a phone number).
  virtual call_result<std::vector<domain::contact_fields>> search_contacts(
      std::string_view query) = 0;

  /// Sends `text` to the contact the platform knows as `external_contact_id`.
  virtual call_result<sent_text> send_text(std::string_view external_contact_id,
                                           std::string_view text) = 0;

  /// Sends several texts, each as `send_text` would, and answers their outcomes in order; a
  /// platform that can overlap the calls overrides this (the default sends one after another).
  virtual std::vector<call_result<sent_text>> send_texts(const std::vector<text_to_send>& texts) {
    std::vector<call_result<sent_text>> out;
    out.reserve(texts.size());
    for (const auto& t : texts) out.push_back(send_text(t.external_contact_id, t.text));
    return out;
  }

  /// Finds, ahead of their sends, where texts to these contacts would go, so that the sends make
  /// fewer calls at their due time: one route per contact, empty where there is none yet or the
  /// lookup failed (the send then finds it itself). A send given a route that no longer takes
  /// the text falls back to finding it. The default finds none, without a call.
  virtual std::vector<std::string> find_routes(
      const std::vector<std::string>& external_contact_ids) {
    return std::vector<std::string>(external_contact_ids.size());
  }

  /// Trades the refresh token for a new access token now (the connector also does it by itself
  /// before the access token expires and once after a 401).
  virtual call_result<bool> refresh_credentials() = 0;

  /// The credentials as they are now: they change when the connector refreshes them, and the
  /// caller stores them sealed whenever `credentials_version` moved.
  [[nodiscard]] virtual const domain::field_values& credentials() const = 0;

  /// Counts credential changes since construction (0 until the first refresh).
  [[nodiscard]] virtual int credentials_version() const = 0;

  /// A connector for sending alongside this one, from another thread: it holds the current
  /// access token but never refreshes (a rejected token fails as `rejected_credentials`, and the
  /// owner of this connector refreshes), so concurrent senders never race for a rotating
  /// refresh token.
  [[nodiscard]] virtual std::unique_ptr<connector> make_sender() const = 0;
};

/// A field a provider type asks the user for (a domain record, so the API can describe it).
using domain::field_spec;

/// How a provider type describes itself (a domain record, so the API can list it).
using domain::provider_type_info;

/// The OAuth authorization-code flow of a platform, for types that support it.
class oauth_flow {
 public:
  oauth_flow() = default;
  oauth_flow(const oauth_flow&) = delete;
  oauth_flow& operator=(const oauth_flow&) = delete;
  oauth_flow(oauth_flow&&) = delete;
  oauth_flow& operator=(oauth_flow&&) = delete;
  /// Releases what the flow holds.
  virtual ~oauth_flow() = default;

  /// The URL to send the user's browser to, for the app in `credentials` (`client_id`).
  [[nodiscard]] virtual std::string authorize_url(const domain::field_values& credentials,
                                                  const std::string& redirect_uri,
                                                  const std::string& state) const = 0;

  /// Redeems `code`; answers `credentials` completed with the access token, its refresh token
  /// and its expiry (`expires_at`, milliseconds since the epoch, as text).
  virtual call_result<domain::field_values> exchange_code(const domain::field_values& credentials,
                                                          const std::string& code,
                                                          const std::string& redirect_uri) = 0;
};

/// Everything the engine needs to know about one platform; adding a platform means one folder
/// that builds one of these, and one line in providers/registered_types.cpp.
struct provider_type {
  /// The description the API lists.
  provider_type_info info;
  /// Checks credentials and settings without calling the platform; errors keyed
  /// `credentials.<field>` or `settings.<field>`.
  field_errors (*validate)(const domain::field_values& credentials,
                           const domain::field_values& settings) = nullptr;
  /// Builds a connector for one connection.
  std::unique_ptr<connector> (*make_connector)(domain::field_values credentials,
                                               domain::field_values settings,
                                               const connector_environment& environment) = nullptr;
  /// Builds the OAuth flow; null for types without OAuth.
  std::unique_ptr<oauth_flow> (*make_oauth_flow)(const connector_environment& environment) =
      nullptr;
};

}  // namespace schedulerd::providers
