#include "app/service.hpp"
#include "config/service_config.hpp"
#include "log/logger.hpp"
#include "providers/http_client.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace schedulerd {

namespace {

// "GET /api/auth/me": one operation, as the router and the document both name it.
using operations = std::set<std::string>;

std::filesystem::path openapi_path() {
  // ctest names the source tree; a directly run binary still has the absolute __FILE__ of CMake.
  const char* source_dir = std::getenv("SCHEDULERD_SOURCE_DIR");
  const auto root = source_dir != nullptr
                        ? std::filesystem::path(source_dir)
                        : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  return root / "docs" / "openapi.yaml";
}

// The document's `paths:` block is written one way (two-space path keys, four-space method
// keys), so a line reader is enough and keeps a YAML library out of the build.
operations documented_operations(std::istream& yaml) {
  static const std::regex path_key(R"(^  (/[^:\s]*):\s*(#.*)?$)");
  static const std::regex method_key(
      R"(^    (get|put|post|delete|patch|head|options|trace):(\s.*)?$)");
  operations found;
  bool in_paths = false;
  std::string path;
  for (std::string line; std::getline(yaml, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() != ' ' && line.front() != '#') {
      in_paths = line.rfind("paths:", 0) == 0;
      path.clear();
      continue;
    }
    std::smatch match;
    if (!in_paths) continue;
    if (std::regex_match(line, match, path_key)) {
      path = match[1];
    } else if (!path.empty() && std::regex_match(line, match, method_key)) {
      std::string method = match[1];
      std::transform(method.begin(), method.end(), method.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      method += " ";
      method += path;
      found.insert(method);
    }
  }
  return found;
}

operations registered_operations() {
  auto database = testing::test_database::sqlite(testing::schema::empty);
  providers::init_http_client();
  config::service_config settings;
  settings.http_port = 0;
  settings.database_url = database.url();
  settings.db_pool_size = 1;
  settings.argon2 = domain::argon2_params{1024, 1, 1};
  settings.app_key = std::string(32, 'k');
  std::unique_ptr<std::FILE, decltype(&std::fclose)> log_file(std::tmpfile(), &std::fclose);
  auto logger = std::make_shared<log::logger>(log::level::error, log::format::json, log_file.get());
  app::service running(settings, logger);
  operations found;
  for (const auto& route : running.routes().routes()) {
    std::string operation = route.method;
    operation += " ";
    operation += route.pattern;
    found.insert(operation);
  }
  running.stop(std::chrono::milliseconds{1000});
  return found;
}

std::string listed_operations(const operations& items) {
  std::string text;
  for (const auto& item : items) text += "\n  " + item;
  return text;
}

}  // namespace

TEST_CASE("every route the service answers is in docs/openapi.yaml, and nothing else is",
          "[http][openapi]") {
  std::ifstream yaml(openapi_path());
  REQUIRE(yaml.is_open());
  const auto documented = documented_operations(yaml);
  REQUIRE_FALSE(documented.empty());
  const auto registered = registered_operations();
  REQUIRE_FALSE(registered.empty());

  operations undocumented;
  std::set_difference(registered.begin(), registered.end(), documented.begin(), documented.end(),
                      std::inserter(undocumented, undocumented.end()));
  operations missing;
  std::set_difference(documented.begin(), documented.end(), registered.begin(), registered.end(),
                      std::inserter(missing, missing.end()));
  INFO("routes the router registers but docs/openapi.yaml does not document:"
       << listed_operations(undocumented));
  INFO("operations docs/openapi.yaml documents but the router does not register:"
       << listed_operations(missing));
  CHECK(undocumented.empty());
  CHECK(missing.empty());
}

TEST_CASE("the openapi reader finds operations only inside the paths block", "[http][openapi]") {
  std::istringstream yaml(
      "openapi: 3.0.3\n"
      "paths:\n"
      "  /api/things:\n"
      "    get:\n"
      "      summary: List\n"
      "    post: {summary: Create}\n"
      "    parameters: []\n"
      "  /api/things/{id}:\n"
      "    delete:\n"
      "components:\n"
      "  /api/not-a-path:\n"
      "    get:\n");
  CHECK(documented_operations(yaml) ==
        operations{"GET /api/things", "POST /api/things", "DELETE /api/things/{id}"});
}

}  // namespace schedulerd
