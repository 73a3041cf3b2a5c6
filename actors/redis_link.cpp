#include "actors/redis_link.hpp"

namespace schedulerd::actors {

namespace {

constexpr std::chrono::seconds reconnect_interval{1};

}  // namespace

redis_link::redis_link(std::string url, std::shared_ptr<log::logger> logger, std::string what,
                       std::string fallback)
    : url_(std::move(url)),
      logger_(std::move(logger)),
      what_(std::move(what)),
      fallback_(std::move(fallback)) {}

void redis_link::connect_now() {
  if (configured()) {
    report(usable());
  }
}

bool redis_link::usable() {
  if (client_ && !client_->broken()) {
    return true;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) {
    return false;
  }
  next_attempt_ = now + reconnect_interval;
  if (client_) {
    return client_->reconnect();
  }
  client_ = std::make_unique<storage::redis_client>(url_);
  return !client_->broken();
}

void redis_link::report(bool up) {
  if (up == !reported_down_) {
    return;
  }
  reported_down_ = !up;
  if (up) {
    logger_->warn("redis_restored", {{what_, std::string_view{"shared"}}});
  } else {
    logger_->warn("redis_unavailable", {{what_, std::string_view{fallback_}}});
  }
}

}  // namespace schedulerd::actors
