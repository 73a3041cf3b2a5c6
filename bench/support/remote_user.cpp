#include "bench/support/remote_user.hpp"

namespace schedulerd::bench {

wrk_request wrk_as(const remote_user& user, const std::string& method, const std::string& path,
                   const nlohmann::json& body) {
  return {method,
          user.base_url() + path,
          {{"Authorization", "Bearer " + user.token()}, {"Content-Type", "application/json"}},
          body.is_null() ? std::string{} : body.dump()};
}

}  // namespace schedulerd::bench
