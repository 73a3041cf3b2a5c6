// libFuzzer harness: every reader of Huggy API answers (providers/huggy/responses.hpp) on
// arbitrary bodies. None may crash or throw; what they return must hold the promises their
// declarations make.
#include "domain/outcome.hpp"
#include "providers/huggy/responses.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace huggy = schedulerd::providers::huggy;

void check(bool holds) {
  if (!holds) std::abort();
}

// Text that leaves the connector (logs, `last_error`, API answers) must dump as JSON.
bool dumps_as_json(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

bool has_control_character(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

void check_failure(const schedulerd::domain::failure& err) {
  check(err.code == schedulerd::domain::errc::upstream_failed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  if (auto contacts = huggy::parse_contacts(body)) {
    for (const auto& contact : *contacts) check(!contact.external_id.empty());
  } else {
    check_failure(contacts.error());
  }
  if (auto contact = huggy::parse_contact(body)) {
    check(!contact->external_id.empty());
  } else {
    check_failure(contact.error());
  }
  if (auto grant = huggy::parse_token_grant(body)) {
    check(!grant->access_token.empty());
    check(!grant->expires_in_s || *grant->expires_in_s > 0);
  } else {
    check_failure(grant.error());
  }
  if (auto profile = huggy::parse_agent_profile(body)) check(!profile->id.empty());
  if (auto chats = huggy::parse_chats(body)) {
    for (const auto& chat : *chats) check(!chat.id.empty());
  }
  if (auto chat = huggy::parse_chat(body)) check(!chat->id.empty());
  if (auto id = huggy::parse_sent_message(body)) check(!id->empty());

  const auto run = huggy::parse_flow_run(body);
  check(run.reason.size() <= 200 && dumps_as_json(run.reason) &&
        !has_control_character(run.reason));

  const auto described = huggy::describe_failure(503, body);
  check(described.rfind("Huggy answered HTTP 503", 0) == 0);
  check(described.size() <= 240 && dumps_as_json(described) && !has_control_character(described));
  return 0;
}
