#include "domain/message_filters.hpp"

#include "domain/ids.hpp"
#include "domain/message_status.hpp"
#include "domain/rfc3339.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::domain {

namespace {

void read_statuses(std::string_view text, message_filter& filter, field_errors& errors) {
  while (true) {
    const auto comma = text.find(',');
    const auto status = text.substr(0, comma);
    if (!is_message_status(status)) {
      errors["status"].emplace_back(
          "must be pending, processing, sent, failed or cancelled (or a comma list of them)");
      return;
    }
    filter.statuses.emplace_back(status);
    if (comma == std::string_view::npos) {
      return;
    }
    text.remove_prefix(comma + 1);
  }
}

// Reads the id filter `name` into `target`, or says why it is not an id.
void read_id(const std::string& name, const std::string& value, std::optional<std::int64_t>& target,
             field_errors& errors) {
  target = parse_id(value);
  if (!target) {
    errors[name].emplace_back("must be an id");
  }
}

}  // namespace

const list_query_rules& message_list_rules() {
  static const list_query_rules rules{{"send_at", "created_at", "updated_at", "status"},
                                      {"send_at", false}};
  return rules;
}

std::variant<message_filter, field_errors> to_message_filter(const list_query& query) {
  message_filter filter;
  filter.sort = query.sort;
  filter.page = query.page;
  filter.per_page = query.per_page;
  field_errors errors;
  for (const auto& [name, value] : query.filters) {
    if (name == "status") {
      read_statuses(value, filter, errors);
    } else if (name == "provider_id" || name == "contact_id" || name == "batch_id") {
      read_id(name, value,
              name == "provider_id"  ? filter.provider_id
              : name == "contact_id" ? filter.contact_id
                                     : filter.batch_id,
              errors);
    } else if (name == "send_at_from" || name == "send_at_to") {
      auto at = parse_rfc3339(value);
      if (!at) {
        errors[name].emplace_back("must be an RFC 3339 date-time with an offset");
      }
      (name == "send_at_from" ? filter.send_at_from : filter.send_at_to) = at;
    } else if (name == "q") {
      filter.q = value;
    } else {
      errors[name].emplace_back("is not a filter of this list");
    }
  }
  if (!errors.empty()) {
    return errors;
  }
  return filter;
}

std::variant<failed_filter, field_errors> to_failed_filter(const list_query& query) {
  failed_filter filter;
  filter.page = query.page;
  filter.per_page = query.per_page;
  field_errors errors;
  for (const auto& [name, value] : query.filters) {
    if (name != "user_id" && name != "provider_id" && name != "batch_id") {
      errors[name].emplace_back("is not a filter of this list");
      continue;
    }
    read_id(name, value,
            name == "user_id"       ? filter.user_id
            : name == "provider_id" ? filter.provider_id
                                    : filter.batch_id,
            errors);
  }
  if (!errors.empty()) {
    return errors;
  }
  return filter;
}

}  // namespace schedulerd::domain
