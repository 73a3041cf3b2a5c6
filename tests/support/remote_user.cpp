#include "tests/support/remote_user.hpp"

#include "domain/clock.hpp"
#include "domain/rfc3339.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"

#include <algorithm>
#include <stdexcept>

namespace schedulerd::testing {

namespace {

// The largest bulk the API takes.
constexpr std::int64_t bulk_limit = 10000;

// Throws unless the service answered `status` to the step `what`.
const providers::outbound_response& expect(const providers::outbound_response& response, int status,
                                           const std::string& what) {
  if (response.status != status) {
    throw std::runtime_error(what + ": HTTP " + std::to_string(response.status) + " " +
                             response.body + response.error);
  }
  return response;
}

}  // namespace

remote_user::remote_user(std::string base_url, std::int64_t contact_count,
                         const nlohmann::json& settings)
    : base_(std::move(base_url)) {
  const auto registered =
      post_json(base_ + "/api/auth/register", nlohmann::json{{"name", "Owner"},
                                                             {"email", "owner@example.com"},
                                                             {"password", "correct horse battery"}}
                                                  .dump());
  token_ = body_of(expect(registered, 201, "register"))["token"];
  const auto connected = call("POST", "/api/providers",
                              {{"type", "huggy"},
                               {"name", "Support"},
                               {"credentials", {{"access_token", fake_huggy::access_token}}},
                               {"settings", settings}});
  provider_ = body_of(expect(connected, 201, "connect Huggy"))["id"];
  expect(call("POST", "/api/providers/" + provider_ + "/sync-contacts"), 202, "sync contacts");
  const bool synced = eventually(
      [&] {
        return body_of(call("GET", "/api/providers/" + provider_))["sync"]["status"] == "succeeded";
      },
      std::chrono::minutes{5}, std::chrono::milliseconds{20});
  if (!synced) throw std::runtime_error("contact sync did not succeed within 5 minutes");
  for (int page = 1; static_cast<std::int64_t>(contacts_.size()) < contact_count; ++page) {
    const auto rows =
        body_of(call("GET", "/api/providers/" + provider_ +
                                "/contacts?per_page=100&page=" + std::to_string(page)))["data"];
    if (!rows.is_array() || rows.empty()) throw std::runtime_error("fewer contacts than synced");
    for (const auto& row : rows) contacts_.push_back(row["id"]);
  }
}

providers::outbound_response remote_user::call(const std::string& method, const std::string& path,
                                               const nlohmann::json& body,
                                               std::chrono::milliseconds timeout) const {
  return testing::call(
      method, base_ + path, body.is_null() ? std::string{} : body.dump(),
      {{"authorization", "Bearer " + token_}, {"content-type", "application/json"}}, timeout);
}

void remote_user::bulk(std::size_t first, std::size_t count, const std::string& content,
                       std::int64_t due_ms) const {
  static_cast<void>(create_batch(first, count, content, due_ms));
}

std::string remote_user::create_batch(std::size_t first, std::size_t count,
                                      const std::string& content, std::int64_t due_ms) const {
  const std::vector<std::string> ids(
      contacts_.begin() + static_cast<std::ptrdiff_t>(first),
      contacts_.begin() + static_cast<std::ptrdiff_t>(first + count));
  // As long as the service itself gives a request: 10,000 rows on a busy machine take seconds.
  const auto accepted = call("POST", "/api/scheduled-messages/bulk",
                             {{"provider_id", provider_},
                              {"contact_ids", ids},
                              {"content", content},
                              {"send_at", domain::format_rfc3339(due_ms)}},
                             std::chrono::seconds{30});
  return body_of(expect(accepted, 202, "bulk create"))["batch"]["id"];
}

void remote_user::bulks(std::int64_t messages, std::int64_t due_ms, const std::string& tag) const {
  const auto contacts = static_cast<std::int64_t>(contacts_.size());
  for (std::int64_t done = 0, number = 0; done < messages; ++number) {
    const auto count = std::min({contacts, bulk_limit, messages - done});
    bulk(0, static_cast<std::size_t>(count), tag + " " + std::to_string(number), due_ms);
    done += count;
  }
}

std::string remote_user::schedule_all(std::chrono::milliseconds ahead) const {
  return create_batch(0, contacts_.size(), "Doors open at nine",
                      domain::system_now_ms() + ahead.count());
}

nlohmann::json remote_user::batch(const std::string& id) const {
  return body_of(call("GET", "/api/batches/" + id));
}

nlohmann::json remote_user::message_to(std::size_t index, const std::string& content,
                                       std::int64_t due_ms) const {
  return {{"provider_id", provider_},
          {"contact_id", contacts_.at(index)},
          {"content", content},
          {"send_at", domain::format_rfc3339(due_ms)}};
}

}  // namespace schedulerd::testing
