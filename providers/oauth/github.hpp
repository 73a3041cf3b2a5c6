#pragma once

#include "config/service_config.hpp"
#include "domain/outcome.hpp"
#include "providers/oauth/oauth_client.hpp"

#include <chrono>
#include <string>

namespace schedulerd::providers::oauth {

/// GitHub's login: redeems `code` at the token URL, then reads `/user` and `/user/emails`.
///
/// The email is the primary address when GitHub marks it verified; otherwise email_verified is
/// false (a verified secondary address, such as the noreply one, never stands in for it).
domain::outcome<oauth_identity> fetch_github_identity(const config::oauth_provider& settings,
                                                      const std::string& code,
                                                      const std::string& code_verifier,
                                                      const std::string& redirect_uri,
                                                      std::chrono::milliseconds timeout);

}  // namespace schedulerd::providers::oauth
