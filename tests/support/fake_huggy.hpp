#pragma once

#include "tests/support/fake_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace schedulerd::testing {

/// A chat the fake keeps.
struct huggy_chat {
  /// The chat's id.
  std::int64_t id = 0;
  /// The contact it is with.
  std::int64_t contact_id = 0;
  /// `auto` (with the bot), `wait_for_chat`, `in_chat` or `finishing`.
  std::string situation;
};

/// A text the fake accepted: a chat message or a flow run.
struct huggy_delivery {
  /// The contact it went to.
  std::int64_t contact_id = 0;
  /// The chat it went into (the chat the flow ran in, for a flow).
  std::int64_t chat_id = 0;
  /// `message` (POST /chats/{id}/messages) or `flow` (PUT /contacts/{id}/execFlow).
  std::string kind;
  /// The message's `text`, or the flow's `message` variable.
  std::string text;
  /// The request body as received.
  nlohmann::json body;
  /// The company of the path (`/v3/companies/{id}/...`); empty for the main company.
  std::string company_id;
  /// When the fake accepted it.
  std::chrono::steady_clock::time_point at;
};

/// A fake Huggy on loopback: API v3 under `/v3` and `/v3/companies/{cid}`, and the OAuth server
/// (reference/huggy-api-v3.md), answering with Huggy's status codes and bodies.
///
/// Auth: GET /oauth/authorize approves at once (302 to redirect_uri?code=..&state=..); POST
/// /oauth/access_token takes JSON or a form, grants authorization_code and refresh_token (refresh
/// tokens rotate), and refuses with league/oauth2-server's 400/401 `{error, message, hint}`.
/// API (Bearer token required, else 401 `{error, message, hint}`): GET /agents/profile, GET
/// /contacts (?page= 0-based, 20 a page, `[]` past the end; ?phone= exact digits), GET
/// /contacts/{id}, GET /chats (?customer=, ?situation=), POST /contacts/{id}/chats, POST
/// /chats/{id}/messages (403 `{reason}` while the chat is `auto`), PUT /contacts/{id}/execFlow.
/// Contacts are computed from their index, so any count costs no memory. Thread-safe.
class fake_huggy {
 public:
  /// The Huggy app the auth server knows.
  static constexpr const char* client_id = "APP-5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d";
  /// That app's secret.
  static constexpr const char* client_secret = "0f1e2d3c-4b5a-4697-8877-665544332211";
  /// An access token accepted from the start.
  static constexpr const char* access_token = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiI0MjQyIn0.c2lnbmF0dXJl";
  /// A refresh token accepted from the start (it rotates like the issued ones).
  static constexpr const char* refresh_token = "def50200a1b2c3d4e5f60718293a4b5c6d7e8f90";
  /// The company besides the main one the agent may act for.
  static constexpr const char* company_id = "38291";
  /// The channel execFlow accepts.
  static constexpr const char* channel_uuid = "5e8d3f2a-1b4c-4d6e-9f70-8a9b0c1d2e3f";
  /// The flow execFlow accepts.
  static constexpr std::int64_t flow_id = 4321;
  /// The id of the first contact (index 0).
  static constexpr std::int64_t first_contact_id = 100000;
  /// Passed as `times`: the failure lasts until clear_failures().
  static constexpr int always = -1;

  /// Starts the fake on a free loopback port with 45 contacts and no chats.
  fake_huggy();

  /// The API's base URL, `http://127.0.0.1:PORT/v3`.
  [[nodiscard]] std::string api_base_url() const;
  /// The auth server's base URL, `http://127.0.0.1:PORT`.
  [[nodiscard]] std::string auth_base_url() const;

  /// Makes `token` a valid access token.
  void accept_token(const std::string& token);
  /// Makes `token` invalid, as an expired or revoked one.
  void revoke_token(const std::string& token);
  /// Makes `token` a valid refresh token.
  void accept_refresh_token(const std::string& token);
  /// Sets the `expires_in` of issued tokens (default 180 days).
  void set_token_lifetime(std::chrono::seconds lifetime);
  /// Makes the authorize page redirect with error=access_denied, as when the user refuses.
  void deny_consent(bool deny);
  /// The decoded query of the last authorize request (empty before any).
  [[nodiscard]] std::map<std::string, std::string> authorize_params() const;
  /// How many tokens the token endpoint issued, per grant type.
  [[nodiscard]] int grants(const std::string& grant_type) const;

  /// Sets how many contacts the account has (ids `first_contact_id + index`).
  void set_contact_count(std::int64_t count);
  /// The id of the contact at `index`.
  static std::int64_t contact_id(std::int64_t index);
  /// The name of the contact at `index` ("José Silva" at 0; accented names throughout).
  static std::string contact_name(std::int64_t index);
  /// The phone of the contact at `index`, bare digits from `5511` on: a mobile number with its
  /// ninth digit (`551198…`, 13 digits) at even indexes, without it (`55118…`, 12 digits, saved
  /// before 2016) at odd ones, as real accounts hold both.
  static std::string contact_phone(std::int64_t index);
  /// Replaces the agent profile `GET /agents/profile` answers.
  void set_profile(nlohmann::json profile);

  /// Opens a chat with the contact in `situation`; returns its id.
  std::int64_t add_chat(std::int64_t contact_id, const std::string& situation);
  /// Moves chat `chat_id` to `situation`.
  void set_situation(std::int64_t chat_id, const std::string& situation);
  /// The contact's chats, oldest first.
  [[nodiscard]] std::vector<huggy_chat> chats_of(std::int64_t contact_id) const;

  /// Answers the next `times` requests whose path, or path under `/v3[/companies/{cid}]`, starts
  /// with `path_prefix` with `status`, a `Retry-After: retry_after` header (when not empty) and
  /// `body` (Huggy-like by status when empty), before any other check.
  void fail_next(std::string path_prefix, int status, int times = 1, std::string retry_after = {},
                 std::string body = {});
  /// Answers `status` to the next `times` requests for contacts page `page`.
  void fail_contacts_page(int page, int status = 500, int times = 1);
  /// Forgets every injected failure.
  void clear_failures();
  /// Delays every answer by `delay`.
  void set_latency(std::chrono::milliseconds delay);

  /// Every text accepted so far, oldest first.
  [[nodiscard]] std::vector<huggy_delivery> deliveries() const;
  /// How many texts the contact was sent (chat messages and flow runs).
  [[nodiscard]] std::size_t sends_to(std::int64_t contact_id) const;
  /// How many texts were accepted so far (cheaper than deliveries().size()).
  [[nodiscard]] std::size_t delivered() const;
  /// How many texts each contact was sent, by contact id.
  [[nodiscard]] std::map<std::int64_t, std::size_t> sends_per_contact() const;
  /// When each text was accepted, oldest first.
  [[nodiscard]] std::vector<std::chrono::steady_clock::time_point> delivery_times() const;
  /// The underlying server, to inspect the requests it received.
  [[nodiscard]] fake_server& server() { return server_; }

 private:
  struct injected_failure {
    std::string path_prefix;
    int status = 0;
    int times = 0;
    std::string retry_after;
    std::string body;
  };
  using handler_fn = http::response (fake_huggy::*)(const http::request&);

  void api(const std::string& method, const std::string& path, handler_fn handle);
  void auth(const std::string& method, const std::string& path, handler_fn handle);
  std::optional<http::response> injected(const http::request& request, const std::string& path);
  [[nodiscard]] std::optional<http::response> refused(const http::request& request) const;
  [[nodiscard]] bool has_contact(std::int64_t id) const;
  std::int64_t open_chat(std::int64_t contact_id, const std::string& situation);
  std::string random_hex(std::size_t length);
  nlohmann::json issue_tokens(const std::string& grant_type);

  http::response profile(const http::request& request);
  http::response contacts(const http::request& request);
  http::response contact(const http::request& request);
  http::response chats(const http::request& request);
  http::response create_chat(const http::request& request);
  http::response post_message(const http::request& request);
  http::response exec_flow(const http::request& request);
  http::response authorize(const http::request& request);
  http::response token(const http::request& request);
  http::response code_grant(const std::map<std::string, std::string>& fields);
  http::response refresh_grant(const std::map<std::string, std::string>& fields);

  mutable std::mutex mutex_;  // guards everything below but server_; handlers hold it throughout
  std::mt19937_64 random_;
  std::set<std::string> access_tokens_;
  std::map<std::string, std::string> refresh_tokens_;  // refresh token -> its access token
  std::set<std::string> rotated_refresh_tokens_;
  std::map<std::string, std::string> codes_;  // unused code -> its redirect_uri
  std::set<std::string> used_codes_;
  std::map<std::string, int> grants_;
  std::chrono::seconds token_lifetime_{180LL * 24 * 3600};
  bool deny_ = false;
  std::map<std::string, std::string> authorize_params_;
  std::int64_t contact_count_ = 45;
  nlohmann::json profile_;
  std::map<std::int64_t, huggy_chat> chats_;
  std::int64_t next_chat_id_ = 700001;
  std::int64_t next_message_id_ = 9000001;
  std::vector<injected_failure> failures_;
  std::map<int, injected_failure> page_failures_;
  std::vector<huggy_delivery> deliveries_;
  fake_server server_;  // last: its thread stops before the state its handlers use goes away
};

}  // namespace schedulerd::testing
