#pragma once

#include "bench/support/wrk.hpp"
#include "tests/support/remote_user.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace schedulerd::bench {

/// The user the scenarios drive: the end-to-end tests' own.
using testing::remote_user;

/// A wrk request for `method` `path` with `body` (JSON, or nothing when null) as `user`.
[[nodiscard]] wrk_request wrk_as(const remote_user& user, const std::string& method,
                                 const std::string& path, const nlohmann::json& body = nullptr);

}  // namespace schedulerd::bench
