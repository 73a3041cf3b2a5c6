#include "domain/list_query.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <variant>

using schedulerd::field_errors;
using schedulerd::domain::decode_query_component;
using schedulerd::domain::list_query;
using schedulerd::domain::list_query_rules;
using schedulerd::domain::parse_list_query;

namespace {

const list_query_rules messages_rules{{"send_at", "created_at", "status"}, {"send_at", false}};

list_query parsed(std::string_view raw) {
  auto result = parse_list_query(raw, messages_rules);
  if (const auto* errors = std::get_if<field_errors>(&result)) {
    for (const auto& [field, messages] : *errors) {
      UNSCOPED_INFO(field << ": " << messages.front());
    }
  }
  REQUIRE(std::holds_alternative<list_query>(result));
  return std::get<list_query>(result);
}

field_errors rejected(std::string_view raw) {
  auto result = parse_list_query(raw, messages_rules);
  REQUIRE(std::holds_alternative<field_errors>(result));
  return std::get<field_errors>(result);
}

}  // namespace

TEST_CASE("an empty query gives the first page of 25 in the resource's default order",
          "[domain][list_query]") {
  const auto query = parsed("");
  CHECK(query.page == 1);
  CHECK(query.per_page == 25);
  CHECK(query.offset() == 0);
  CHECK(query.sort.field == "send_at");
  CHECK_FALSE(query.sort.descending);
  CHECK(query.filters.empty());
}

TEST_CASE("page, per_page and a descending sort are honoured", "[domain][list_query]") {
  const auto query = parsed("page=3&per_page=100&sort=-created_at");
  CHECK(query.page == 3);
  CHECK(query.per_page == 100);
  CHECK(query.offset() == 200);
  CHECK(query.sort.field == "created_at");
  CHECK(query.sort.descending);
}

TEST_CASE("other parameters pass through decoded as filters", "[domain][list_query]") {
  const auto query = parsed("status=pending&to=%2B55%2011+9999&empty=&flag&&status=sent");
  REQUIRE(query.filters.size() == 5);
  CHECK(query.filter("to") == "+55 11 9999");
  CHECK(query.filter("status") == "pending");
  CHECK(query.filters.back().second == "sent");
  CHECK(query.filter("empty") == "");
  CHECK(query.filter("flag") == "");
  CHECK_FALSE(query.filter("missing"));
}

TEST_CASE("out-of-range or non-numeric page and per_page are each named", "[domain][list_query]") {
  for (const auto* raw : {"page=0&per_page=0", "page=-1&per_page=101", "page=abc&per_page=1.5",
                          "page=&per_page=+5", "page=99999999999999999999999&per_page=%2010"}) {
    INFO(raw);
    CHECK(rejected(raw) == field_errors{{"page", {"must be a whole number from 1 to 2147483647."}},
                                        {"per_page", {"must be a whole number from 1 to 100."}}});
  }
}

TEST_CASE("the largest page still gives an offset that fits", "[domain][list_query]") {
  CHECK(parsed("page=2147483647&per_page=100").offset() == std::int64_t{2147483646} * 100);
  CHECK(rejected("page=2147483648").count("page") == 1);
}

TEST_CASE("a sort field outside the allowed list is refused with the choices",
          "[domain][list_query]") {
  for (const auto* raw : {"sort=password", "sort=", "sort=-", "sort=--send_at", "sort=+send_at"}) {
    INFO(raw);
    const auto errors = rejected(raw);
    REQUIRE(errors.count("sort") == 1);
    CHECK(errors.at("sort").front().find("send_at, created_at, status") != std::string::npos);
  }
}

TEST_CASE("repeated paging parameters are refused", "[domain][list_query]") {
  const auto errors = rejected("page=1&page=2&sort=status&sort=status");
  CHECK(errors.count("page") == 1);
  CHECK(errors.count("sort") == 1);
}

TEST_CASE("broken percent-encoding names the parameter", "[domain][list_query]") {
  CHECK(rejected("to=%ZZ").count("to") == 1);
  CHECK(rejected("page=%4").count("page") == 1);
  CHECK(rejected("%=1").count("%") == 1);
  CHECK(decode_query_component("a%2fb%2F+c") == "a/b/ c");
  CHECK_FALSE(decode_query_component("%"));
  CHECK_FALSE(decode_query_component("abc%2"));
}
