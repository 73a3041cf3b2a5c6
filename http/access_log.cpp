#include "http/access_log.hpp"

namespace schedulerd::http {

void write_access_log(log::logger& out, const request& req, int status,
                      std::chrono::steady_clock::duration elapsed) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  out.info("http_request", {{"method", std::string_view{req.method}},
                            {"path", std::string_view{req.path}},
                            {"status", std::int64_t{status}},
                            {"duration_ms", static_cast<double>(micros) / 1000.0},
                            {"request_id", std::string_view{req.request_id}},
                            {"client", std::string_view{req.client_address}},
                            {"user_id", req.user_id}});
}

}  // namespace schedulerd::http
