#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace {

std::string read_doc(const std::string& name) {
  // ctest names the source tree; a directly run binary still has the absolute __FILE__ of CMake.
  const char* source_dir = std::getenv("SCHEDULERD_SOURCE_DIR");
  const auto root = source_dir != nullptr
                        ? std::filesystem::path(source_dir)
                        : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  std::ifstream in{root / "docs" / name};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the Grafana dashboard parses and charts only series docs/metrics.md documents",
          "[metrics]") {
  auto dashboard = nlohmann::json::parse(read_doc("grafana-dashboard.json"), nullptr, false);
  REQUIRE(dashboard.is_object());
  REQUIRE(dashboard["panels"].is_array());
  const auto documented = read_doc("metrics.md");
  REQUIRE_FALSE(documented.empty());
  static const std::regex series(R"(\b(schedulerd_[a-z_]+|process_[a-z_]+))");
  std::set<std::string> charted;
  for (const auto& panel : dashboard["panels"]) {
    REQUIRE(panel["targets"].is_array());
    for (const auto& target : panel["targets"]) {
      const auto expr = target.value("expr", "");
      for (std::sregex_iterator it{expr.begin(), expr.end(), series}, end; it != end; ++it) {
        charted.insert(std::regex_replace((*it)[1].str(), std::regex("_bucket$"), ""));
      }
    }
  }
  CHECK(charted.size() >= 10);
  for (const auto& name : charted) {
    INFO(name);
    CHECK(documented.find("`" + name + "`") != std::string::npos);
  }
}
