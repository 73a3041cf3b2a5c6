#pragma once

#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace schedulerd::testing {

/// PKCE S256 (RFC 7636): the unpadded base64url of SHA-256(`verifier`).
std::string pkce_s256(std::string_view verifier);

/// Unpadded base64url of `bytes` (RFC 4648 section 5).
std::string base64url(std::string_view bytes);

/// Decodes a form-encoded body or query string; the first of repeated names wins.
std::map<std::string, std::string> parse_form(std::string_view text);

/// The token of an `Authorization: Bearer` (or GitHub's `token`) header, empty when absent.
std::string bearer_token(const http::request& request);

/// Plays the browser on an authorize URL (the fakes approve at once): the `Location` it was
/// redirected to, or empty when the answer was no 302.
std::string follow_consent(const std::string& authorize_url);

/// `uri` with `query` appended after `?` or `&`, as a provider builds its redirect.
std::string with_query(const std::string& uri, const std::string& query);

/// Why a fake provider refused to redeem a code.
enum class grant_refusal { none, unknown_code, reused_code, redirect_mismatch, verifier_mismatch };

/// What redeeming a code produced: an access token for the approved profile, or a refusal.
struct redemption {
  grant_refusal refusal = grant_refusal::none;
  std::string access_token;
  std::string scope;
  nlohmann::json profile;
};

/// The grant bookkeeping of a fake OAuth provider: single-use codes bound to a PKCE challenge and
/// a redirect URI, and the access tokens they were redeemed for. Thread-safe.
class oauth_grants {
 public:
  /// Codes and tokens start with `code_prefix` and `token_prefix`, as the real providers' do.
  oauth_grants(std::string code_prefix, std::string token_prefix);

  /// Records the user's approval of `profile` and returns the code for the redirect.
  std::string issue_code(nlohmann::json profile, std::string code_challenge,
                         std::string redirect_uri, std::string scope);

  /// Redeems `code` once; reusing a code also revokes the token it was first redeemed for.
  redemption redeem(const std::string& code, const std::string& redirect_uri,
                    const std::string& code_verifier);

  /// The profile and scope behind `access_token`, if it was issued and not revoked.
  [[nodiscard]] std::optional<redemption> lookup(const std::string& access_token) const;

 private:
  struct grant {
    nlohmann::json profile;
    std::string code_challenge;
    std::string redirect_uri;
    std::string scope;
    std::string access_token;  // set once redeemed
  };

  std::string random_text(std::size_t length);

  mutable std::mutex mutex_;
  std::string code_prefix_;
  std::string token_prefix_;
  std::mt19937_64 random_;
  std::map<std::string, grant> grants_;
  std::map<std::string, redemption> tokens_;
};

}  // namespace schedulerd::testing
