#pragma once

#include "config/service_config.hpp"
#include "domain/outcome.hpp"
#include "domain/request_timeouts.hpp"

#include <chrono>
#include <string>

namespace schedulerd::providers {

/// Which login provider.
enum class oauth_provider_kind { google, github };

/// The identity a provider vouched for.
struct oauth_identity {
  /// The provider's stable user id (GitHub's numeric id as a string).
  std::string subject;
  /// Lower-cased; for GitHub the primary address from /user/emails.
  std::string email;
  /// Whether the provider says the user owns `email`; the caller must refuse unverified emails.
  bool email_verified = false;
  std::string name;
};

/// How long each request to a provider may take before the login fails as upstream_failed.
constexpr std::chrono::milliseconds default_oauth_timeout = domain::outbound_call_timeout;

/// The authorize URL to send the browser to (authorization code with `state` and PKCE S256).
///
/// Carries response_type=code, client_id, redirect_uri, scope, state, code_challenge and
/// code_challenge_method=S256; Google also access_type=online and prompt=select_account.
/// Scopes: Google "openid email profile", GitHub "read:user user:email".
std::string authorize_url(oauth_provider_kind kind, const config::oauth_provider& settings,
                          const std::string& redirect_uri, const std::string& state,
                          const std::string& code_challenge);

/// Exchanges the code (with the PKCE verifier) for an access token, then fetches the identity.
///
/// Blocking: call it from a detached actor. A rejected code or verifier fails with bad_request;
/// an unreachable, slow, failing or incoherent provider (and refused client credentials) with
/// upstream_failed. An unverified email is not an error: it comes back with email_verified false.
domain::outcome<oauth_identity> fetch_identity(
    oauth_provider_kind kind, const config::oauth_provider& settings, const std::string& code,
    const std::string& code_verifier, const std::string& redirect_uri,
    std::chrono::milliseconds timeout = default_oauth_timeout);

}  // namespace schedulerd::providers
