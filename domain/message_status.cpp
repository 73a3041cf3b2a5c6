#include "domain/message_status.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace schedulerd::domain {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> transitions{{
    {message_pending, message_processing},
    {message_pending, message_cancelled},
    {message_processing, message_sent},
    {message_processing, message_failed},
    {message_processing, message_pending},
    {message_pending, message_pending},  // an edit re-times a pending message
}};

}  // namespace

bool is_message_status(std::string_view status) noexcept {
  return status == message_pending || status == message_processing || status == message_sent ||
         status == message_failed || status == message_cancelled;
}

bool can_transition(std::string_view from, std::string_view to) noexcept {
  return std::ranges::any_of(transitions, [from, to](const auto& transition) {
    return transition.first == from && transition.second == to;
  });
}

bool is_final_status(std::string_view status) noexcept {
  return status == message_sent || status == message_failed || status == message_cancelled;
}

}  // namespace schedulerd::domain
