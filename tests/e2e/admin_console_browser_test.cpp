// The admin console in headless Chromium (tests/browser/admin_console.mjs, playwright-core): an
// admin logs in, sees a failed message, retries it and sees it sent.

#include "tests/support/child_process.hpp"
#include "tests/support/scheduling_api.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Whether `program` is an executable in a directory of PATH.
bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs{path == nullptr ? "" : path};
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && ::access((fs::path{dir} / program).c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("an admin logs in to the console, sees a failed message, retries it and sees it sent",
          "[e2e][browser]") {
  // Missing tools fail the test: `make test` must not pass without having run the browser.
  const char* source_dir = std::getenv("SCHEDULERD_SOURCE_DIR");
  REQUIRE(source_dir != nullptr);
  const fs::path source{source_dir};
  const char* chrome_bin = std::getenv("CHROME_BIN");
  const std::string chromium = chrome_bin != nullptr ? chrome_bin : "/usr/bin/chromium";
  INFO(
      "scripts/setup installs chromium (apt-get install --no-install-recommends chromium), "
      "node and, with npm ci, playwright-core");
  REQUIRE(::access(chromium.c_str(), X_OK) == 0);
  REQUIRE(on_path("node"));
  REQUIRE(fs::exists(source / "node_modules" / "playwright-core" / "package.json"));

  testing::scheduling_user owner{"sqlite", [](config::service_config& settings) {
                                   settings.admin_emails = {"admin@example.com"};
                                 }};
  owner.api.register_user("admin@example.com", "console password");
  // The platform refuses a send for good (a 400), so each of these two messages fails at once;
  // the admin retries the first. A third waits for its time.
  std::vector<std::string> failed;
  for (std::size_t contact : {0, 1}) {
    owner.huggy.fail_next("/chats/", 400, 1);
    const std::string id = owner.schedule(contact, 1s, "Your order has shipped")["id"];
    owner.api.clock().advance(1s);
    REQUIRE(owner.await_status(id, "failed")["status"] == "failed");
    failed.push_back(id);
  }
  owner.schedule(2, 1h, "See you tomorrow at nine");
  const auto& id = failed[0];

  const auto screenshot = fs::path{SCHEDULERD_BINARY}.parent_path() / "admin-console.png";
  fs::remove(screenshot);
  testing::scratch_dir dir;
  const auto started = std::chrono::steady_clock::now();
  testing::child_process browser{
      "/usr/bin/env",
      {"CONSOLE_URL=" + owner.api.base_url() + "/admin", "ADMIN_EMAIL=admin@example.com",
       "ADMIN_PASSWORD=console password", "MESSAGE_ID=" + id, "STILL_FAILED_ID=" + failed[1],
       "SCREENSHOT=" + screenshot.string(), "CHROME_BIN=" + chromium, "node",
       (source / "tests" / "browser" / "admin_console.mjs").string()},
      dir.path()};
  const auto exit_code = browser.wait_exit(60s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  INFO("browser stdout: " << browser.stdout_text());
  INFO("browser stderr: " << browser.stderr_text());
  INFO("browser run: " << took.count() << " ms");
  REQUIRE(exit_code == 0);
  CHECK(fs::file_size(screenshot) > 10'000);

  // Through the owner's API: really sent, and sent once.
  const auto sent = owner.await_status(id, "sent");
  CHECK(sent["status"] == "sent");
  CHECK(owner.huggy.sends_to(owner.external_id(0)) == 1);
  CHECK(owner.message(failed[1])["status"] == "failed");
}
