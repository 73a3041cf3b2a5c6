#pragma once

#include "domain/message_records.hpp"
#include "http/json/json_writer.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace schedulerd::http {

/// Writes a scheduled message's fields as the API shows them, with its contact, into the object
/// `out` has open.
void write_message_fields(json_writer& out, const domain::message_record& message);

/// Writes a scheduled message as the API shows it, with its contact.
void write_message(json_writer& out, const domain::message_record& message);

/// A batch with its counts per status.
nlohmann::json batch_json(const domain::batch_record& batch);

/// One entry of a message's history.
nlohmann::json message_event_json(const domain::message_event& event);

}  // namespace schedulerd::http
