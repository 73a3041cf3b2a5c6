#include "providers/huggy/connector.hpp"

#include "domain/phone_numbers.hpp"
#include "domain/search_folding.hpp"
#include "providers/huggy/failures.hpp"
#include "providers/huggy/fields.hpp"
#include "providers/huggy/responses.hpp"
#include "providers/huggy/sending.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace schedulerd::providers::huggy {

namespace {

// What the exception being handled means to the caller: the connector promises never to throw,
// and what could (allocation, a library surprise) ends here.
call_error current_failure() {
  try {
    throw;
  } catch (const std::exception& e) {
    return call_error{failure_kind::permanent, 0,
                      std::string{"The Huggy connector failed: "} + e.what(), std::nullopt};
  } catch (...) {
    return call_error{failure_kind::permanent, 0, "The Huggy connector failed", std::nullopt};
  }
}

// Runs `body`, answering the failure of any exception it throws.
template <class F>
auto guarded(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (...) {
    return current_failure();
  }
}

std::vector<domain::contact_fields> to_fields(std::vector<contact> contacts) {
  std::vector<domain::contact_fields> out;
  out.reserve(contacts.size());
  for (auto& c : contacts) {
    out.push_back(
        {std::move(c.external_id), std::move(c.name), std::move(c.email), std::move(c.phone)});
  }
  return out;
}

// How many entries the page held, counting those parse_contacts skips for want of an id: a page
// is short only if Huggy sent fewer, never because we kept fewer.
std::size_t entries_in(const std::string& body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_array()) return parsed.size();
  const auto data = parsed.is_object() ? parsed.find("data") : parsed.end();
  return parsed.is_object() && data != parsed.end() && data->is_array() ? data->size() : 0;
}

}  // namespace

connector::connector(domain::field_values credentials, const domain::field_values& settings,
                     const connector_environment& environment)
    : raw_settings_(settings),
      environment_(environment),
      settings_(read_settings(settings)),
      api_(std::move(credentials), api_root(environment.api_base_url, settings_), environment) {}

call_result<connection_check> connector::test_connection() {
  return guarded([&]() -> call_result<connection_check> {
    auto answered = api_.call("GET", "/agents/profile");
    if (auto* failed = std::get_if<call_error>(&answered)) return std::move(*failed);
    const auto& response = std::get<outbound_response>(answered);
    auto profile = parse_agent_profile(response.body);
    if (!profile) return unreadable(response, profile.error());
    connection_check check;
    check.account = !profile->name.empty()    ? profile->name
                    : !profile->email.empty() ? profile->email
                                              : "agent " + profile->id;
    check.latency = response.latency;
    return check;
  });
}

call_result<contact_page> connector::list_contacts(int page) {
  return guarded([&]() -> call_result<contact_page> {
    if (page < 0) {
      return call_error{failure_kind::permanent, 0, "Huggy's contact pages start at 0",
                        std::nullopt};
    }
    auto answered = api_.call("GET", "/contacts?page=" + std::to_string(page));
    if (auto* failed = std::get_if<call_error>(&answered)) return std::move(*failed);
    const auto& response = std::get<outbound_response>(answered);
    auto contacts = parse_contacts(response.body);
    if (!contacts) return unreadable(response, contacts.error());
    contact_page out;
    out.more = entries_in(response.body) >= contacts_page_size;
    out.contacts = to_fields(std::move(*contacts));
    return out;
  });
}

call_result<std::vector<domain::contact_fields>> connector::search_contacts(
    std::string_view query) {
  return guarded([&]() -> call_result<std::vector<domain::contact_fields>> {
    // Huggy stores numbers as bare digits with the country code and finds nothing for "+55 ...",
    // so only the digits go out. A query without any (a name) cannot match a phone: an empty
    // answer is the truthful one, and costs no call. Huggy matches exactly, and holds Brazilian
    // mobiles saved before the ninth digit in the old form, so those are asked in both forms.
    const auto digits = domain::digits_of(query);
    std::vector<domain::contact_fields> found;
    if (digits.empty()) return found;
    std::vector<std::string> forms{digits};
    if (auto other = domain::other_brazilian_mobile_form(digits)) {
      forms.push_back(std::move(*other));
    }
    for (const auto& form : forms) {
      auto answered = api_.call("GET", "/contacts?phone=" + form);
      if (auto* failed = std::get_if<call_error>(&answered)) return std::move(*failed);
      const auto& response = std::get<outbound_response>(answered);
      auto contacts = parse_contacts(response.body);
      if (!contacts) return unreadable(response, contacts.error());
      for (auto& contact : to_fields(std::move(*contacts))) {
        const bool seen = std::any_of(found.begin(), found.end(), [&contact](const auto& known) {
          return known.external_id == contact.external_id;
        });
        if (!seen) found.push_back(std::move(contact));
      }
    }
    return found;
  });
}

call_result<sent_text> connector::send_text(std::string_view external_contact_id,
                                            std::string_view text) {
  auto outcomes = send_texts({{std::string{external_contact_id}, std::string{text}, {}}});
  call_result<sent_text> outcome = std::move(outcomes.front());
  return outcome;
}

std::vector<call_result<sent_text>> connector::send_texts(const std::vector<text_to_send>& texts) {
  try {
    return settings_.mode == send_mode::flow ? send_by_flow(api_, settings_, texts)
                                             : send_in_chat(api_, texts);
  } catch (...) {
    std::vector<call_result<sent_text>> failed(texts.size(), current_failure());
    return failed;
  }
}

std::vector<std::string> connector::find_routes(
    const std::vector<std::string>& external_contact_ids) {
  // Flow mode's one call needs no route; a lookup that throws finds none (the sends look up).
  std::vector<std::string> none(external_contact_ids.size());
  if (settings_.mode == send_mode::flow) return none;
  try {
    return find_open_chats(api_, external_contact_ids);
  } catch (...) {
    return none;
  }
}

call_result<bool> connector::refresh_credentials() {
  return guarded([&] { return api_.refresh(); });
}

const domain::field_values& connector::credentials() const {
  return api_.credentials();
}

int connector::credentials_version() const {
  return api_.version();
}

std::unique_ptr<providers::connector> connector::make_sender() const {
  auto credentials = api_.credentials();
  credentials.erase(refresh_token_field);
  return std::make_unique<connector>(std::move(credentials), raw_settings_, environment_);
}

// provider_type fixes the signature, so `settings` comes by value though only read.
std::unique_ptr<providers::connector> make_connector(
    domain::field_values credentials,
    domain::field_values settings,  // NOLINT(performance-unnecessary-value-param)
    const connector_environment& environment) {
  return std::make_unique<connector>(std::move(credentials), settings, environment);
}

}  // namespace schedulerd::providers::huggy
