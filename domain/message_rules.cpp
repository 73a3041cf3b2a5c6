#include "domain/message_rules.hpp"

#include "domain/ascii_text.hpp"
#include "domain/secrets.hpp"
#include "domain/utf8.hpp"

#include <string>
#include <unordered_set>
#include <utility>

namespace schedulerd::domain {

namespace {

void check_content(const std::string& content, const schedule_limits& limits,
                   field_errors& errors) {
  const auto length = code_points(content);
  if (length == 0 || length > limits.max_content) {
    std::string message{"must be 1.."};
    message += std::to_string(limits.max_content);
    message += " characters";
    errors["content"].push_back(std::move(message));
  }
}

void check_send_at(std::int64_t send_at, std::int64_t now_ms, const schedule_limits& limits,
                   field_errors& errors) {
  if (send_at < now_ms - limits.skew_ms) {
    errors["send_at"].emplace_back("must be in the future");
  } else if (send_at > now_ms + limits.max_ahead_ms) {
    errors["send_at"].emplace_back("must be at most one year ahead");
  }
}

// Length-prefixed fields, so that no two different requests serialise alike.
void append_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

}  // namespace

std::string normalize_content(std::string_view content) {
  return std::string{trim(content)};
}

field_errors validate_message(const message_draft& draft, std::int64_t now_ms,
                              const schedule_limits& limits) {
  field_errors errors;
  check_content(draft.content, limits, errors);
  check_send_at(draft.send_at, now_ms, limits, errors);
  return errors;
}

field_errors validate_bulk(const bulk_draft& draft, std::int64_t now_ms,
                           const schedule_limits& limits) {
  field_errors errors;
  check_content(draft.content, limits, errors);
  check_send_at(draft.send_at, now_ms, limits, errors);
  const auto count = draft.contact_ids.size();
  if (count == 0 || count > limits.max_recipients) {
    std::string message{"must list 1.."};
    message += std::to_string(limits.max_recipients);
    message += " distinct contacts";
    errors["contact_ids"].push_back(std::move(message));
  } else {
    std::unordered_set<std::int64_t> seen;
    seen.reserve(count);
    for (auto id : draft.contact_ids) {
      if (!seen.insert(id).second) {
        std::string message{"must not repeat a contact ("};
        message += std::to_string(id);
        message += ')';
        errors["contact_ids"].push_back(std::move(message));
        break;
      }
    }
  }
  return errors;
}

field_errors validate_patch(const message_patch& patch, std::int64_t now_ms,
                            const schedule_limits& limits) {
  field_errors errors;
  if (!patch.contact_id && !patch.content && !patch.send_at) {
    errors["body"].emplace_back("must change contact_id, content or send_at");
  }
  if (patch.content) {
    check_content(*patch.content, limits, errors);
  }
  if (patch.send_at) {
    check_send_at(*patch.send_at, now_ms, limits, errors);
  }
  return errors;
}

std::string fingerprint(const message_draft& draft) {
  std::string text{"message"};
  append_field(text, std::to_string(draft.provider_id));
  append_field(text, std::to_string(draft.contact_id));
  append_field(text, draft.content);
  append_field(text, std::to_string(draft.send_at));
  return sha256_hex(text);
}

std::string fingerprint(const bulk_draft& draft) {
  std::string text{"bulk"};
  append_field(text, std::to_string(draft.provider_id));
  for (auto id : draft.contact_ids) {
    append_field(text, std::to_string(id));
  }
  append_field(text, draft.content);
  append_field(text, std::to_string(draft.send_at));
  return sha256_hex(text);
}

}  // namespace schedulerd::domain
