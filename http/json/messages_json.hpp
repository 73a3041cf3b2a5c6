#pragma once

#include "domain/message_records.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace schedulerd::http {

/// A scheduled message as the API shows it, with its contact.
nlohmann::json message_json(const domain::message_record& message);

/// A batch with its counts per status.
nlohmann::json batch_json(const domain::batch_record& batch);

/// One entry of a message's history.
nlohmann::json message_event_json(const domain::message_event& event);

}  // namespace schedulerd::http
