#include "domain/message_rules.hpp"
#include "domain/message_filters.hpp"
#include "domain/message_status.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using namespace schedulerd::domain;

namespace {

constexpr std::int64_t now = 1'800'000'000'000;

std::variant<message_filter, field_errors> filter_of(const std::string& raw) {
  auto query = std::get<list_query>(parse_list_query(raw, message_list_rules()));
  return to_message_filter(query);
}

}  // namespace

TEST_CASE("a message may only move along the status machine", "[domain][messages]") {
  CHECK(can_transition("pending", "processing"));
  CHECK(can_transition("pending", "cancelled"));
  CHECK(can_transition("processing", "sent"));
  CHECK(can_transition("processing", "failed"));
  CHECK(can_transition("processing", "pending"));
  CHECK_FALSE(can_transition("processing", "cancelled"));
  CHECK_FALSE(can_transition("sent", "pending"));
  CHECK_FALSE(can_transition("cancelled", "processing"));
  CHECK_FALSE(can_transition("failed", "sent"));
  CHECK(is_final_status("sent"));
  CHECK(is_final_status("cancelled"));
  CHECK_FALSE(is_final_status("processing"));
  CHECK_FALSE(is_message_status("lost"));
}

TEST_CASE("a schedule must be in the future, within a year, with 1..4096 characters",
          "[domain][messages]") {
  message_draft draft{1, 2, "Hello", now + 1000};
  CHECK(validate_message(draft, now).empty());
  draft.send_at = now - 2000;  // within the clock-skew allowance
  CHECK(validate_message(draft, now).empty());
  draft.send_at = now - 10000;
  CHECK(validate_message(draft, now).count("send_at") == 1);
  draft.send_at = now + 367LL * 24 * 3600 * 1000;
  CHECK(validate_message(draft, now).count("send_at") == 1);
  draft.send_at = now + 1000;
  draft.content = normalize_content("   ");
  CHECK(validate_message(draft, now).count("content") == 1);
  draft.content = std::string(4096, 'a');
  CHECK(validate_message(draft, now).empty());
  // Characters, not bytes: 4,096 accented letters are 8,192 bytes and still fit.
  std::string accented;
  for (int i = 0; i < 4096; ++i) {
    accented += "\xC3\xA9";
  }
  draft.content = accented;
  CHECK(validate_message(draft, now).empty());
  draft.content += "a";
  CHECK(validate_message(draft, now).count("content") == 1);
}

TEST_CASE("a bulk needs 1..10,000 distinct contacts", "[domain][messages]") {
  bulk_draft bulk{1, {}, "Hi", now + 1000};
  CHECK(validate_bulk(bulk, now).count("contact_ids") == 1);
  bulk.contact_ids = {1, 2, 3};
  CHECK(validate_bulk(bulk, now).empty());
  bulk.contact_ids.push_back(2);
  CHECK(validate_bulk(bulk, now).count("contact_ids") == 1);
  bulk.contact_ids.assign(10001, 0);
  for (std::size_t i = 0; i < bulk.contact_ids.size(); ++i) {
    bulk.contact_ids[i] = static_cast<std::int64_t>(i) + 1;
  }
  CHECK(validate_bulk(bulk, now).count("contact_ids") == 1);
  bulk.contact_ids.pop_back();
  CHECK(validate_bulk(bulk, now).empty());
}

TEST_CASE("an edit must change something valid", "[domain][messages]") {
  CHECK(validate_patch({}, now).count("body") == 1);
  CHECK(validate_patch({std::nullopt, std::string{"x"}, std::nullopt}, now).empty());
  CHECK(validate_patch({std::nullopt, std::string{""}, std::nullopt}, now).count("content") == 1);
  CHECK(validate_patch({std::nullopt, std::nullopt, now - 60000}, now).count("send_at") == 1);
}

TEST_CASE("fingerprints tell requests apart and match repeats", "[domain][messages]") {
  message_draft a{1, 2, "Hello", now};
  message_draft b = a;
  CHECK(fingerprint(a) == fingerprint(b));
  b.content = "Hello!";
  CHECK(fingerprint(a) != fingerprint(b));
  bulk_draft one{1, {12, 3}, "x", now};
  bulk_draft two{1, {1, 23}, "x", now};
  CHECK(fingerprint(one) != fingerprint(two));
}

TEST_CASE("list parameters become a message filter, and bad ones are named", "[domain][messages]") {
  auto parsed = filter_of(
      "status=pending,sent&provider_id=4&q=Order&send_at_from=2026-12-01T10:"
      "00:00Z&sort=-created_at&per_page=10");
  REQUIRE(std::holds_alternative<message_filter>(parsed));
  const auto& filter = std::get<message_filter>(parsed);
  CHECK(filter.statuses == std::vector<std::string>{"pending", "sent"});
  CHECK(filter.provider_id == std::optional<std::int64_t>{4});
  CHECK(filter.q == "Order");
  CHECK(filter.send_at_from.has_value());
  CHECK(filter.sort.field == "created_at");
  CHECK(filter.sort.descending);
  CHECK(filter.per_page == 10);
  auto bad = filter_of("status=pending,lost&contact_id=-1&send_at_to=tomorrow&colour=red");
  REQUIRE(std::holds_alternative<field_errors>(bad));
  const auto& problems = std::get<field_errors>(bad);
  CHECK(problems.count("status") == 1);
  CHECK(problems.count("contact_id") == 1);
  CHECK(problems.count("send_at_to") == 1);
  CHECK(problems.count("colour") == 1);
}
