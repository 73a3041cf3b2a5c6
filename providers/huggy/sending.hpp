#pragma once

#include "providers/connector.hpp"
#include "providers/huggy/session.hpp"
#include "providers/huggy/settings.hpp"

#include <string_view>

// The two ways a Huggy connection delivers a text (docs/DECISIONS.md, section 6).

namespace schedulerd::providers::huggy {

/// Posts `text` into the contact's open chat (the first of `GET /chats?customer=` that is not
/// `finishing`), opening one with `POST /contacts/{id}/chats` when there is none; the message id
/// is the provider message id.
call_result<sent_text> send_in_chat(session& api, std::string_view contact_id,
                                    std::string_view text);

/// Runs the configured flow for the contact (`PUT /contacts/{id}/execFlow`) with the text as the
/// flow variable `message`; the chat id Huggy names, if any, is the provider message id.
call_result<sent_text> send_by_flow(session& api, const connection_settings& settings,
                                    std::string_view contact_id, std::string_view text);

}  // namespace schedulerd::providers::huggy
