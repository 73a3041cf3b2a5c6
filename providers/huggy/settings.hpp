#pragma once

#include "domain/provider_records.hpp"

#include <cstdint>
#include <string>

namespace schedulerd::providers::huggy {

/// How a connection delivers a text.
enum class send_mode {
  /// Into the contact's open chat (`POST /chats/{id}/messages`), opening one if needed.
  chat,
  /// By running a flow for the contact (`PUT /contacts/{id}/execFlow`).
  flow,
};

/// A connection's settings as the connector uses them.
struct connection_settings {
  /// The company to act for; empty for the agent's main company.
  std::string company_id;
  /// How texts go out.
  send_mode mode = send_mode::chat;
  /// The flow run in flow mode (0 when unset).
  std::int64_t flow_id = 0;
  /// The channel the flow sends from.
  std::string channel_uuid;
};

/// Reads settings that `validate` accepted (trimmed; anything unreadable reads as unset).
connection_settings read_settings(const domain::field_values& settings);

/// The API root every path goes under: the base URL, plus `/companies/{id}` when a company is set.
std::string api_root(const std::string& api_base_url, const connection_settings& settings);

}  // namespace schedulerd::providers::huggy
