#include "tests/support/api_fixture.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

using namespace schedulerd;
using testing::body_of;

namespace {

// The console files a file refers to: `/admin/...` in the page, `./x.js` in module imports.
std::set<std::string> referenced_files(const std::string& text) {
  std::set<std::string> files;
  static const std::regex page_link{R"re((?:src|href)="/admin/([\w.-]+)")re"};
  static const std::regex module_import{R"re(from '\./([\w.-]+)')re"};
  for (const auto* pattern : {&page_link, &module_import}) {
    for (std::sregex_iterator it{text.begin(), text.end(), *pattern}, end; it != end; ++it) {
      files.insert((*it)[1].str());
    }
  }
  return files;
}

}  // namespace

TEST_CASE("the console page and every file it loads are served with their types and policy",
          "[http][console]") {
  testing::api_fixture api;
  auto page = api.call("GET", "/admin");
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  CHECK(page.header("cache-control") == "no-cache");
  const auto policy = std::string{page.header("content-security-policy").value_or("")};
  CHECK(policy.find("script-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page.header("x-frame-options") == "DENY");
  CHECK(page.body.find("<form id=\"login-form\"") != std::string::npos);
  // No inline script or style, which the policy would block.
  CHECK(page.body.find("<script>") == std::string::npos);
  CHECK(page.body.find("style=") == std::string::npos);

  // Every file the page and its modules load is there, with the type a browser insists on.
  std::set<std::string> seen;
  auto pending = referenced_files(page.body);
  REQUIRE(pending.count("app.js") == 1);
  REQUIRE(pending.count("style.css") == 1);
  while (!pending.empty()) {
    const auto name = *pending.begin();
    pending.erase(pending.begin());
    if (!seen.insert(name).second) {
      continue;
    }
    INFO(name);
    auto file = api.call("GET", "/admin/" + name);
    REQUIRE(file.status == 200);
    CHECK_FALSE(file.body.empty());
    const auto type = std::string{file.header("content-type").value_or("")};
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".js") == 0) {
      CHECK(type == "text/javascript; charset=utf-8");
      pending.merge(referenced_files(file.body));
    } else {
      CHECK(type == "text/css; charset=utf-8");
    }
  }
  CHECK(seen.size() == 5);
}

TEST_CASE("an unknown console file is 404 and the console needs no token", "[http][console]") {
  testing::api_fixture api;
  auto missing = api.call("GET", "/admin/missing.js");
  CHECK(missing.status == 404);
  CHECK(body_of(missing)["error"]["code"] == "not_found");
  CHECK(api.call("GET", "/admin/index.html").status == 200);
  CHECK(api.call("POST", "/admin").status == 405);
}
