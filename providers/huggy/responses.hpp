#pragma once

#include "domain/outcome.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Readers for the bodies Huggy's API v3 answers with (reference/huggy-api-v3.md). Each takes the
// raw body text and never throws: an answer that does not have the documented shape fails with
// domain::errc::upstream_failed and a message naming what was wrong, never echoing a token. Huggy
// sends numeric ids; they become strings here because nothing computes with them.

namespace schedulerd::providers::huggy {

/// A contact of the connected Huggy account.
struct contact {
  /// Huggy's id of the contact.
  std::string external_id;
  std::string name;
  std::string email;
  /// `phone`, or `mobile` when the contact has no phone.
  std::string phone;
};

/// One page of `GET /contacts`: a bare array (an object `{data: [...]}` is accepted too); entries
/// without a usable id are skipped.
domain::outcome<std::vector<contact>> parse_contacts(std::string_view body);

/// The object of `GET /contacts/{id}` or of a created contact.
domain::outcome<contact> parse_contact(std::string_view body);

/// The answer of the token endpoint to a code exchange or a refresh.
struct token_grant {
  std::string access_token;
  /// Empty when the answer carries none (the previous refresh token stays valid).
  std::string refresh_token;
  /// Seconds until the access token expires, when the answer says.
  std::optional<std::int64_t> expires_in_s;
};

/// Reads a token endpoint answer; `access_token` is required.
domain::outcome<token_grant> parse_token_grant(std::string_view body);

/// The agent who owns an access token (`GET /agents/profile`), the connection test's answer.
struct agent_profile {
  std::string id;
  std::string name;
  std::string email;
};

/// Reads `GET /agents/profile`; `id` is required.
domain::outcome<agent_profile> parse_agent_profile(std::string_view body);

/// A conversation with a contact.
struct chat {
  std::string id;
  /// `auto` (with the bot), `wait_for_chat`, `in_chat` or `finishing`; empty when absent.
  std::string situation;
};

/// Reads one chat object (`GET /chats/{id}`, `POST /contacts/{id}/chats`).
domain::outcome<chat> parse_chat(std::string_view body);

/// Reads a list of chats (`GET /chats?customer=`): a bare array or `{data: [...]}`.
domain::outcome<std::vector<chat>> parse_chats(std::string_view body);

/// Reads the message `POST /chats/{id}/messages` created and returns its id.
domain::outcome<std::string> parse_sent_message(std::string_view body);

/// What running a flow for a contact (`PUT /contacts/{id}/execFlow`) answered.
struct flow_run {
  /// The chat the flow opened or used, when the answer names one.
  std::string chat_id;
  /// Huggy's own words about the run, when it gave any.
  std::string reason;
};

/// Reads an execFlow answer, which may be JSON (`{reason, chatID}`), plain text or empty.
flow_run parse_flow_run(std::string_view body);

/// A one-line, length-bounded, valid UTF-8 description of a failed call for logs and
/// `last_error`: Huggy's `reason`, or `message` (with `hint`), or `error`, else the body's start.
std::string describe_failure(int status, std::string_view body);

}  // namespace schedulerd::providers::huggy
