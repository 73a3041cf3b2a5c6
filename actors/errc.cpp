#include "actors/errc.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>
#include <caf/sec.hpp>

#include <utility>

namespace schedulerd {

caf::error make_error(errc code, std::string message) {
  return caf::error{static_cast<std::uint8_t>(code), errc_category,
                    caf::make_message(std::move(message), field_errors{})};
}

caf::error make_error(const domain::failure& why) {
  return make_error(why.code, why.message);
}

caf::error make_validation_error(field_errors details) {
  return caf::error{static_cast<std::uint8_t>(errc::invalid_input), errc_category,
                    caf::make_message(std::string{}, std::move(details))};
}

caf::error make_rate_limited_error(int retry_after_s) {
  return caf::error{static_cast<std::uint8_t>(errc::rate_limited), errc_category,
                    caf::make_message(std::string{}, field_errors{}, retry_after_s)};
}

error_info describe(const caf::error& err) {
  error_info info;
  if (err.category() == errc_category) {
    info.code = static_cast<errc>(err.code());
    const auto& context = err.context();
    if (context.match_elements<std::string, field_errors>() ||
        context.match_elements<std::string, field_errors, int>()) {
      info.message = context.get_as<std::string>(0);
      info.details = context.get_as<field_errors>(1);
    }
    if (context.match_elements<std::string, field_errors, int>()) {
      info.retry_after_s = context.get_as<int>(2);
    }
    return info;
  }
  // A request that timed out or hit a dead actor means a part of the service is not answering.
  if (err == caf::sec::request_timeout || err == caf::sec::request_receiver_down) {
    info.code = errc::unavailable;
  }
  return info;
}

void register_errc_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(errc_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& context) {
                           std::string text = to_string(static_cast<errc>(code));
                           if (context.match_elements<std::string, field_errors>() &&
                               !context.get_as<std::string>(0).empty()) {
                             text += ": " + context.get_as<std::string>(0);
                           }
                           return text;
                         });
}

}  // namespace schedulerd
