#include "tests/support/api_fixture.hpp"

#include "tests/support/http_test_client.hpp"
#include "tests/support/traffic_recorder.hpp"

#include <catch2/catch.hpp>

#include <array>

namespace schedulerd::testing {

namespace {

test_database make_database(const std::string& backend) {
  return backend == "postgres" ? test_database::postgres(schema::empty)
                               : test_database::sqlite(schema::empty);
}

}  // namespace

api_fixture::api_fixture(const std::string& backend,
                         const std::function<void(config::service_config&)>& tune,
                         const std::function<void(app::service_options&)>& tune_options)
    : database_(make_database(backend)), log_file_(std::tmpfile()) {
  providers::init_http_client();
  settings_.http_port = 0;
  settings_.database_url = database_.url();
  settings_.db_pool_size = 2;
  settings_.argon2 = domain::argon2_params{1024, 1, 1};
  settings_.rate_limit_per_minute = 100000;
  settings_.rate_limit_auth_per_minute = 100000;
  settings_.app_key = std::string(32, 'k');
  // Only the path and query of OAuth callbacks matter to the fakes; tests replay them on base_url.
  settings_.public_base_url = "http://schedulerd.test";
  if (tune) {
    tune(settings_);
  }
  auto logger = std::make_shared<log::logger>(log::level::debug, log::format::json, log_file_);
  app::service_options options;
  options.now = [clock = clock_] { return clock->now_ms.load(); };
  options.token_flush_every = std::chrono::milliseconds{100};
  if (tune_options) {
    tune_options(options);
  }
  running_ = std::make_unique<app::service>(settings_, logger, options);
  traffic_recorder::watch(running_->base_url());
}

api_fixture::~api_fixture() {
  traffic_recorder::unwatch(running_->base_url());
  running_.reset();
  static_cast<void>(std::fclose(log_file_));  // read-only use left; nothing to recover
}

providers::outbound_response api_fixture::call(const std::string& method, const std::string& path,
                                               const nlohmann::json& body, const std::string& token,
                                               http::header_list extra_headers) {
  std::string payload;
  if (!body.is_null()) {
    payload = body.dump();
    extra_headers.emplace_back("content-type", "application/json");
  }
  if (!token.empty()) {
    extra_headers.emplace_back("authorization", "Bearer " + token);
  }
  return testing::call(method, running_->base_url() + path, std::move(payload),
                       std::move(extra_headers));
}

std::string api_fixture::register_user(const std::string& email, const std::string& password,
                                       const std::string& name) {
  auto res = call("POST", "/api/auth/register",
                  {{"name", name}, {"email", email}, {"password", password}});
  INFO(res.body);
  REQUIRE(res.status == 201);
  return body_of(res)["token"].get<std::string>();
}

std::string api_fixture::log_text() const {
  // A failed flush or seek shows up as missing text, which the calling test then reports.
  static_cast<void>(std::fflush(log_file_));
  std::string text;
  std::rewind(log_file_);
  std::array<char, 4096> buffer{};
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), log_file_)) > 0) {
    text.append(buffer.data(), read);
  }
  static_cast<void>(std::fseek(log_file_, 0, SEEK_END));
  return text;
}

}  // namespace schedulerd::testing
