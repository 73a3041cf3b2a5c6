#pragma once

#include "config/service_config.hpp"
#include "domain/outcome.hpp"
#include "providers/oauth/oauth_client.hpp"

#include <chrono>
#include <string>

namespace schedulerd::providers::oauth {

/// Google's login: redeems `code` at the token URL, then reads the OpenID Connect userinfo.
domain::outcome<oauth_identity> fetch_google_identity(const config::oauth_provider& settings,
                                                      const std::string& code,
                                                      const std::string& code_verifier,
                                                      const std::string& redirect_uri,
                                                      std::chrono::milliseconds timeout);

}  // namespace schedulerd::providers::oauth
