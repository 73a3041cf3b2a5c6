#include "providers/huggy/fields.hpp"

#include "domain/ascii_text.hpp"

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace schedulerd::providers::huggy {

namespace {

// Huggy's access tokens are RS256 JWTs of about a kilobyte; four leaves room for more claims.
constexpr std::size_t max_token_chars = 4096;
// Seen: `APP-<uuid>` client ids and bare-UUID secrets.
constexpr std::size_t max_client_chars = 200;
// Up to 18 digits always fits a signed 64-bit id.
constexpr std::size_t max_id_digits = 18;
constexpr std::size_t max_uuid_chars = 64;

bool all_of(std::string_view text, bool (*accept)(char)) {
  return std::all_of(text.begin(), text.end(), accept);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Tokens, ids and secrets are ASCII without spaces: anything else is a paste gone wrong.
bool is_visible_ascii(char c) {
  return c > ' ' && c < 0x7f;
}

bool is_uuid_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

class checker {
 public:
  checker(const domain::field_values& values, std::string prefix, field_errors& errors)
      : values_(values), prefix_(std::move(prefix)), errors_(errors) {}

  // The trimmed value of `name`, after refusing what `accept` and `max_chars` do not allow.
  std::string text(const char* name, std::size_t max_chars, bool (*accept)(char),
                   const char* problem) {
    auto value = trimmed(values_, name);
    if (value.size() > max_chars) {
      fail(name, "must be at most " + std::to_string(max_chars) + " characters");
    } else if (!all_of(value, accept)) {
      fail(name, problem);
    }
    return value;
  }

  void refuse_unknown(const std::set<std::string, std::less<>>& known, const char* what) {
    for (const auto& [name, value] : values_) {
      if (!known.contains(name)) fail(name, std::string{"is not a Huggy "} + what);
    }
  }

  void fail(std::string_view name, std::string message) {
    errors_[prefix_ + std::string{name}].push_back(std::move(message));
  }

 private:
  const domain::field_values& values_;
  std::string prefix_;
  field_errors& errors_;
};

void check_credentials(const domain::field_values& credentials, field_errors& errors) {
  checker in{credentials, "credentials.", errors};
  const char* token_problem = "must be printable ASCII without spaces";
  const auto access = in.text(access_token_field, max_token_chars, is_visible_ascii, token_problem);
  in.text(refresh_token_field, max_token_chars, is_visible_ascii, token_problem);
  const auto id = in.text(client_id_field, max_client_chars, is_visible_ascii, token_problem);
  const auto secret =
      in.text(client_secret_field, max_client_chars, is_visible_ascii, token_problem);
  in.text(expires_at_field, max_id_digits, is_digit, "must be milliseconds since the epoch");
  if (!id.empty() && secret.empty()) in.fail(client_secret_field, "is required with client_id");
  if (id.empty() && !secret.empty()) in.fail(client_id_field, "is required with client_secret");
  if (access.empty() && id.empty() && secret.empty()) {
    in.fail(access_token_field,
            "is required, unless client_id and client_secret are given to connect through OAuth");
  }
  in.refuse_unknown({access_token_field, refresh_token_field, client_id_field, client_secret_field,
                     expires_at_field},
                    "credential");
}

void check_settings(const domain::field_values& settings, field_errors& errors) {
  checker in{settings, "settings.", errors};
  in.text("company_id", max_id_digits, is_digit, "must be digits only (Huggy's company number)");
  const auto flow_id = in.text("flow_id", max_id_digits, is_digit, "must be digits only");
  const auto channel = in.text("channel_uuid", max_uuid_chars, is_uuid_char,
                               "must be the channel's UUID (letters, digits and dashes)");
  const auto mode = trimmed(settings, "send_mode");
  if (!mode.empty() && mode != "chat" && mode != "flow") {
    in.fail("send_mode", "must be chat or flow");
  }
  if (mode == "flow" && flow_id.find_first_not_of('0') == std::string::npos) {
    in.fail("flow_id", "is required when send_mode is flow");
  }
  if (mode == "flow" && channel.empty()) {
    in.fail("channel_uuid", "is required when send_mode is flow");
  }
  in.refuse_unknown({"company_id", "send_mode", "flow_id", "channel_uuid"}, "setting");
}

}  // namespace

std::vector<domain::field_spec> credential_fields() {
  return {
      {access_token_field,
       "Access token",
       false,
       true,
       {},
       "An API v3 access token; required unless the connection is authorised through OAuth."},
      {refresh_token_field,
       "Refresh token",
       false,
       true,
       {},
       "Lets the service renew the access token before it expires."},
      {client_id_field,
       "Client ID",
       false,
       false,
       {},
       "The client id of your Huggy app (Settings > Your apps), for OAuth and refreshing."},
      {client_secret_field,
       "Client secret",
       false,
       true,
       {},
       "The client secret of the same Huggy app; required with the client id."},
  };
}

std::vector<domain::field_spec> settings_fields() {
  return {
      {"company_id",
       "Company ID",
       false,
       false,
       {},
       "The company to act for, when the agent belongs to several; empty for the main one."},
      {"send_mode",
       "Send mode",
       false,
       false,
       {"chat", "flow"},
       "chat posts into the contact's open chat (opening one if needed); flow runs a flow."},
      {"flow_id",
       "Flow ID",
       false,
       false,
       {},
       "The flow to run in flow mode; it receives the text as the variable `message`."},
      {"channel_uuid",
       "Channel UUID",
       false,
       false,
       {},
       "The channel (e.g. the WhatsApp number) the flow sends from; required in flow mode."},
  };
}

std::string trimmed(const domain::field_values& values, std::string_view name) {
  const auto it = values.find(std::string{name});
  return it == values.end() ? std::string{} : std::string{domain::trim(it->second)};
}

field_errors validate(const domain::field_values& credentials,
                      const domain::field_values& settings) {
  field_errors errors;
  check_credentials(credentials, errors);
  check_settings(settings, errors);
  return errors;
}

}  // namespace schedulerd::providers::huggy
