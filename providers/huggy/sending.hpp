#pragma once

#include "providers/connector.hpp"
#include "providers/huggy/session.hpp"
#include "providers/huggy/settings.hpp"

#include <string>
#include <vector>

// The two ways a Huggy connection delivers a text (docs/DECISIONS.md, section 6).

namespace schedulerd::providers::huggy {

/// Each contact's open chat (the first of `GET /chats?customer=` that is not `finishing`), looked
/// up all at once; empty where there is none or the lookup failed.
std::vector<std::string> find_open_chats(session& api,
                                         const std::vector<std::string>& external_contact_ids);

/// Posts each text into its route, when it has one, or else into its contact's open chat (the first
/// of `GET /chats?customer=` that is not `finishing`), opening one with `POST /contacts/{id}/chats`
/// when there is none; the message id is the provider message id. A route Huggy refuses with a 4xx
/// (the chat closed since) is replaced by that lookup. Each step's calls go out at once; the
/// outcomes come in order.
std::vector<call_result<sent_text>> send_in_chat(session& api,
                                                 const std::vector<text_to_send>& texts);

/// Runs the configured flow for each text's contact (`PUT /contacts/{id}/execFlow`, all at once)
/// with the text as the flow variable `message`; the chat id Huggy names, if any, is the provider
/// message id.
std::vector<call_result<sent_text>> send_by_flow(session& api, const connection_settings& settings,
                                                 const std::vector<text_to_send>& texts);

}  // namespace schedulerd::providers::huggy
