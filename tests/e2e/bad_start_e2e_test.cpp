// The real binary refuses to start on bad configuration or unusable resources, with one clear
// line saying why and a non-zero exit code.

#include "tests/e2e/service_logs.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// A TCP socket bound to a free loopback port, listening or not, closed at scope exit.
class bound_socket {
 public:
  explicit bound_socket(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    REQUIRE(::bind(fd_, raw, length) == 0);
    REQUIRE((!listening || ::listen(fd_, 1) == 0));
    REQUIRE(::getsockname(fd_, raw, &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  bound_socket(const bound_socket&) = delete;
  bound_socket& operator=(const bound_socket&) = delete;
  ~bound_socket() { ::close(fd_); }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

std::vector<std::string> non_empty_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream lines{text};
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

std::vector<std::string> error_lines(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : testing::json_lines(text)) {
    if (line.value("level", "") == "error") {
      out.push_back(line.dump());
    }
  }
  return out;
}

void check_config_rejected(const testing::environment& env, const std::string& variable) {
  auto done = testing::service_process::run_to_completion(env, {"serve"}, 20s);

  INFO("stdout:\n" << done.stdout_text << "\nstderr:\n" << done.stderr_text);
  CHECK(done.exit_code == 2);
  auto lines = non_empty_lines(done.stderr_text);
  REQUIRE(lines.size() == 1);
  CHECK(lines.front().find(variable) != std::string::npos);
  CHECK(done.stdout_text.find("listening") == std::string::npos);
}

}  // namespace

TEST_CASE("an HTTP_PORT out of range exits 2 naming HTTP_PORT", "[e2e]") {
  check_config_rejected({{"HTTP_PORT", "99999"}, {"DATABASE_URL", "sqlite::memory:"}}, "HTTP_PORT");
}

TEST_CASE("an APP_KEY that is not base64 exits 2 naming APP_KEY", "[e2e]") {
  check_config_rejected({{"APP_KEY", "not-base64"}, {"DATABASE_URL", "sqlite::memory:"}},
                        "APP_KEY");
}

TEST_CASE("an unreachable database stops start-up with one clear error line", "[e2e]") {
  bound_socket closed{false};  // bound, never listening: connections to it are refused
  auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(closed.port()) + "/x";

  auto done = testing::service_process::run_to_completion({{"DATABASE_URL", url}}, {"serve"}, 20s);

  INFO("stdout:\n" << done.stdout_text << "\nstderr:\n" << done.stderr_text);
  CHECK(done.exit_code > 0);
  CHECK(done.exit_code < 128);
  auto errors = error_lines(done.stderr_text);
  REQUIRE(errors.size() == 1);
  CHECK(errors.front().find("database") != std::string::npos);
  CHECK(done.stdout_text.find("listening") == std::string::npos);
}

TEST_CASE("a port already taken stops start-up with one clear error line", "[e2e]") {
  bound_socket taken{true};
  auto db = testing::test_database::sqlite(testing::schema::empty);

  auto done = testing::service_process::run_to_completion(
      {{"DATABASE_URL", db.url()}, {"HTTP_PORT", std::to_string(taken.port())}}, {"serve"}, 20s);

  INFO("stdout:\n" << done.stdout_text << "\nstderr:\n" << done.stderr_text);
  CHECK(done.exit_code > 0);
  CHECK(done.exit_code < 128);
  auto errors = error_lines(done.stderr_text);
  REQUIRE(errors.size() == 1);
  CHECK(errors.front().find(std::to_string(taken.port())) != std::string::npos);
  CHECK(done.stdout_text.find("listening") == std::string::npos);
}
