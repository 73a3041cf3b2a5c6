#include "actors/held_claims.hpp"

#include <algorithm>

namespace schedulerd::actors {

void held_claims::hold(const std::vector<domain::claimed_message>& claimed) {
  for (const auto& m : claimed) {
    // Storing an outcome needs the claim's identity and times, not its text.
    claims_.insert_or_assign(
        m.id, claim{{m.id, m.provider_id, m.attempt, {}, {}, m.due_at, m.lease_until},
                    false,
                    std::nullopt});
  }
}

void held_claims::start(std::int64_t id) {
  if (const auto found = claims_.find(id); found != claims_.end()) found->second.started = true;
}

void held_claims::know(const domain::attempt_result& outcome) {
  const auto found = claims_.find(outcome.claim.id);
  if (found != claims_.end() && found->second.message.attempt == outcome.claim.attempt) {
    found->second.outcome = outcome;
    found->second.outcome->claim = found->second.message;  // without the text, as held
  }
}

void held_claims::settle(std::int64_t id, std::int32_t attempt) {
  const auto found = claims_.find(id);
  if (found != claims_.end() && found->second.message.attempt == attempt) claims_.erase(found);
}

std::vector<domain::attempt_result> held_claims::abandon(std::int64_t now_ms) {
  std::vector<domain::attempt_result> results;
  results.reserve(claims_.size());
  for (auto& [id, held] : claims_) {
    if (held.outcome) {
      results.push_back(std::move(*held.outcome));
      continue;
    }
    domain::attempt_result result;
    result.claim = held.message;
    result.finished_at = now_ms;
    if (held.started) {
      result.outcome = domain::attempt_outcome::retry;
      result.error = interrupted_reason;
      result.retry_at = now_ms;
    } else {
      result.outcome = domain::attempt_outcome::released;
      result.error = unstarted_reason;
      result.retry_at = std::max(now_ms, held.message.due_at);
    }
    results.push_back(std::move(result));
  }
  claims_.clear();
  std::sort(results.begin(), results.end(),
            [](const auto& a, const auto& b) { return a.claim.id < b.claim.id; });
  return results;
}

}  // namespace schedulerd::actors
