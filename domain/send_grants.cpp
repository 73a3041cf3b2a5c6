#include "domain/send_grants.hpp"

#include <algorithm>

namespace schedulerd::domain {

send_grants::send_grants(std::int64_t lifetime_ms) : lifetime_ms_(lifetime_ms) {}

bool send_grants::fresh(std::int64_t granted_at_ms, std::int64_t now_ms) const {
  return now_ms - granted_at_ms < lifetime_ms_;
}

bool send_grants::ready(std::int64_t now_ms) {
  if (granted_ > 0 && fresh(granted_at_ms_, now_ms)) {
    return true;
  }
  granted_ = 0;
  if (next_granted_ > 0 && fresh(next_granted_at_ms_, now_ms)) {
    granted_ = next_granted_;
    granted_at_ms_ = next_granted_at_ms_;
  }
  next_granted_ = 0;
  return granted_ > 0;
}

void send_grants::spend() {
  granted_ = std::max<std::int64_t>(0, granted_ - 1);
}

bool send_grants::wants_next(std::int64_t now_ms, std::int64_t queued,
                             std::int64_t low_water) const {
  return !asking_ && next_granted_ == 0 && now_ms >= retry_at_ms_ && granted_ <= low_water &&
         queued > granted_;
}

void send_grants::asked() {
  asking_ = true;
}

bool send_grants::asking() const {
  return asking_;
}

void send_grants::answered(std::int64_t granted, std::int64_t wait_ms, std::int64_t now_ms) {
  asking_ = false;
  if (granted_ > 0 && fresh(granted_at_ms_, now_ms)) {
    next_granted_ = granted;
    next_granted_at_ms_ = now_ms;
  } else {
    granted_ = granted;
    granted_at_ms_ = now_ms;
  }
  retry_at_ms_ = granted > 0 ? now_ms : now_ms + wait_ms;
}

void send_grants::unanswered(std::int64_t wait_ms, std::int64_t now_ms) {
  asking_ = false;
  retry_at_ms_ = now_ms + wait_ms;
}

std::int64_t send_grants::wait_ms(std::int64_t now_ms) const {
  return std::max<std::int64_t>(0, retry_at_ms_ - now_ms);
}

}  // namespace schedulerd::domain
