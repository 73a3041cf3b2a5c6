#include "storage/message_rows.hpp"

#include <algorithm>
#include <string_view>

#include "storage/row_cells.hpp"

namespace schedulerd::storage {

static_assert(std::ranges::count(std::string_view(message_columns), ',') + 1 ==
                  message_column_count,
              "message_column_count must match message_columns");

domain::message_record to_message(const std::vector<value>& row) {
  domain::message_record record;
  record.id = integer_at(row, 0);
  record.user_id = integer_at(row, 1);
  record.provider_id = integer_at(row, 2);
  record.contact.id = integer_at(row, 3);
  record.contact.name = text_at(row, 4);
  record.contact.phone = optional_text_at(row, 5);
  record.batch_id = optional_integer_at(row, 6);
  record.content = text_at(row, 7);
  record.send_at = integer_at(row, 8);
  record.status = text_at(row, 9);
  record.attempts = static_cast<std::int32_t>(integer_at(row, 10));
  record.next_attempt_at = integer_at(row, 11);
  record.last_error = optional_text_at(row, 12).value_or("");
  record.provider_message_id = optional_text_at(row, 13).value_or("");
  record.sent_at = optional_integer_at(row, 14);
  record.created_at = integer_at(row, 15);
  record.updated_at = integer_at(row, 16);
  return record;
}

}  // namespace schedulerd::storage
