#pragma once

#include "providers/connector.hpp"
#include "providers/huggy/session.hpp"
#include "providers/huggy/settings.hpp"

#include <vector>

// The two ways a Huggy connection delivers a text (docs/DECISIONS.md, section 6).

namespace schedulerd::providers::huggy {

/// Posts each text into its contact's open chat (the first of `GET /chats?customer=` that is not
/// `finishing`), opening one with `POST /contacts/{id}/chats` when there is none; the message id
/// is the provider message id. Each step's calls go out at once; the outcomes come in order.
std::vector<call_result<sent_text>> send_in_chat(session& api,
                                                 const std::vector<text_to_send>& texts);

/// Runs the configured flow for each text's contact (`PUT /contacts/{id}/execFlow`, all at once)
/// with the text as the flow variable `message`; the chat id Huggy names, if any, is the provider
/// message id.
std::vector<call_result<sent_text>> send_by_flow(session& api, const connection_settings& settings,
                                                 const std::vector<text_to_send>& texts);

}  // namespace schedulerd::providers::huggy
