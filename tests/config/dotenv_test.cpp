#include "config/dotenv.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd::config;

namespace {

dotenv_values parse_ok(std::string_view text) {
  auto result = parse_dotenv(text);
  if (const auto* error = std::get_if<dotenv_error>(&result)) {
    FAIL("line " << error->line << ": " << error->message);
  }
  return std::get<dotenv_values>(std::move(result));
}

dotenv_error parse_error(std::string_view text) {
  auto result = parse_dotenv(text);
  REQUIRE(std::holds_alternative<dotenv_error>(result));
  return std::get<dotenv_error>(std::move(result));
}

}  // namespace

TEST_CASE("a .env file skips blank lines and comments and allows export", "[config]") {
  const auto values = parse_ok(
      "# schedulerd\n"
      "\n"
      "   \n"
      "HTTP_HOST=0.0.0.0\n"
      "  # indented comment\n"
      "export HTTP_PORT=9000\n"
      "export\tLOG_LEVEL=debug\n"
      "exported=yes\n"
      "  SPACED  =  value  \n"
      "EMPTY=\n"
      "HTTP_HOST=127.0.0.2");  // no final newline; the later line wins
  CHECK(values == dotenv_values{{"HTTP_HOST", "127.0.0.2"},
                                {"HTTP_PORT", "9000"},
                                {"LOG_LEVEL", "debug"},
                                {"exported", "yes"},
                                {"SPACED", "value"},
                                {"EMPTY", ""}});
}

TEST_CASE("an unquoted .env value is trimmed and ends at a space-hash comment", "[config]") {
  const auto values = parse_ok(
      "A=value # a comment\n"
      "B=value\t# after a tab\n"
      "C=a#b\n"
      "D=#not-a-comment\n"
      "E= # only a comment\n"
      "F=postgresql://u:p@h/db?x=1\n"
      "G=one two  \n");
  CHECK(values.at("A") == "value");
  CHECK(values.at("B") == "value");
  CHECK(values.at("C") == "a#b");
  CHECK(values.at("D") == "#not-a-comment");
  CHECK(values.at("E").empty());
  CHECK(values.at("F") == "postgresql://u:p@h/db?x=1");
  CHECK(values.at("G") == "one two");
}

TEST_CASE("a double-quoted .env value takes newline, quote and backslash escapes", "[config]") {
  const auto values = parse_ok(R"(A="line one\nline two")"
                               "\n"
                               R"(B="say \"hi\" # not a comment")"
                               "\n"
                               R"(C="back\\slash" # comment)"
                               "\n"
                               R"(D="  kept spaces  ")"
                               "\n"
                               R"(E="C:\temp")"
                               "\n"
                               R"(F="")"
                               "\n");
  CHECK(values.at("A") == "line one\nline two");
  CHECK(values.at("B") == "say \"hi\" # not a comment");
  CHECK(values.at("C") == "back\\slash");
  CHECK(values.at("D") == "  kept spaces  ");
  CHECK(values.at("E") == "C:\\temp");  // other escapes stay as written
  CHECK(values.at("F").empty());
}

TEST_CASE("a single-quoted .env value is taken literally", "[config]") {
  const auto values = parse_ok(R"(A='no\nescape "here" # at all')"
                               "\n"
                               R"(B='x' # comment)"
                               "\n");
  CHECK(values.at("A") == R"(no\nescape "here" # at all)");
  CHECK(values.at("B") == "x");
}

TEST_CASE("a .env file with Windows line endings reads the same", "[config]") {
  CHECK(parse_ok("A=1\r\nB=\"two\"\r\n") == dotenv_values{{"A", "1"}, {"B", "two"}});
}

TEST_CASE("a malformed .env line is reported with its line number", "[config]") {
  const auto [text, line] = GENERATE(table<std::string, int>({
      {"A=1\nNOT A SETTING\n", 2},
      {"A=1\n\n# c\n=value\n", 4},
      {"1ABC=x\n", 1},
      {"BAD-NAME=x\n", 1},
      {"A=\"unterminated\n", 1},
      {"A=1\nB='unterminated\n", 2},
      {"A=\"x\" trailing\n", 1},
      {"A='x'trailing\n", 1},
      {"export\n", 1},
  }));
  CAPTURE(text);
  const auto error = parse_error(text);
  CHECK(error.line == line);
  CHECK_FALSE(error.message.empty());
}
