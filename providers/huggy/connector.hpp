#pragma once

#include "providers/connector.hpp"
#include "providers/huggy/session.hpp"
#include "providers/huggy/settings.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace schedulerd::providers::huggy {

/// Contacts per page of `GET /contacts`; a shorter page is the last one.
inline constexpr std::size_t contacts_page_size = 20;

/// A connection to Huggy's API v3 over libcurl (reference/huggy-api-v3.md).
class connector final : public providers::connector {
 public:
  /// A connector acting with `credentials` as `settings` say, against `environment`'s Huggy.
  connector(domain::field_values credentials, const domain::field_values& settings,
            const connector_environment& environment);

  /// `GET /agents/profile`; the account is the agent's name, or else their email.
  call_result<connection_check> test_connection() override;

  /// `GET /contacts?page=N`: 0-based, 20 a page, the end at the first empty or short page.
  call_result<contact_page> list_contacts(int page) override;

  /// `GET /contacts?phone=<digits>` with the digits of `query` (Huggy finds contacts by phone
  /// only): a query without digits matches no phone, so it answers nothing without a call.
  call_result<std::vector<domain::contact_fields>> search_contacts(std::string_view query) override;

  /// Sends in the connection's send mode (see sending.hpp).
  call_result<sent_text> send_text(std::string_view external_contact_id,
                                   std::string_view text) override;

  /// Sends the texts in the connection's send mode, each step's calls at once.
  std::vector<call_result<sent_text>> send_texts(const std::vector<text_to_send>& texts) override;

  /// In chat mode, each contact's open chat (`GET /chats?customer=`, all at once); none in flow
  /// mode, whose single call needs no route.
  std::vector<std::string> find_routes(
      const std::vector<std::string>& external_contact_ids) override;

  /// Trades the refresh token for new tokens; false when there is no refresh token.
  call_result<bool> refresh_credentials() override;

  /// The credentials, refreshed ones included.
  [[nodiscard]] const domain::field_values& credentials() const override;

  /// Counts the refreshes so far.
  [[nodiscard]] int credentials_version() const override;

  /// A connector with the current access token and no refresh token.
  [[nodiscard]] std::unique_ptr<providers::connector> make_sender() const override;

 private:
  domain::field_values raw_settings_;
  connector_environment environment_;
  connection_settings settings_;
  session api_;
};

/// Builds a Huggy connector (the provider type's `make_connector`).
std::unique_ptr<providers::connector> make_connector(domain::field_values credentials,
                                                     domain::field_values settings,
                                                     const connector_environment& environment);

}  // namespace schedulerd::providers::huggy
