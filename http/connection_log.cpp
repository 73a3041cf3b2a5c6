#include "http/connection_log.hpp"

#include <algorithm>
#include <charconv>

namespace schedulerd::http {

namespace {

// A library line split into the connection it names, if any, and the rest.
struct connection_line {
  std::optional<std::uint64_t> id;
  std::string_view text;
};

// RESTinio starts a connection's lines with "[connection:N] " (once "[connection: N] ").
connection_line split_connection(std::string_view message) {
  constexpr std::string_view prefix = "[connection:";
  if (message.substr(0, prefix.size()) != prefix) {
    return {std::nullopt, message};
  }
  auto rest = message.substr(prefix.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  std::uint64_t id = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
  rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
  if (error != std::errc{} || rest.empty() || rest.front() != ']') {
    return {std::nullopt, message};
  }
  rest.remove_prefix(1);
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  return {id, rest};
}

// http_parser names the callback that refused; under our limits each has one cause.
std::string explain(std::string_view reason, const parser_limits& limits) {
  const auto names = [reason](std::string_view code) {
    return reason.find(code) != std::string_view::npos;
  };
  std::string out{reason};
  if (names("HPE_CB_url")) {
    out += " (request target over " + std::to_string(limits.text_bytes) + " bytes)";
  } else if (names("HPE_CB_header_field") || names("HPE_CB_header_value")) {
    out += " (header field over " + std::to_string(limits.text_bytes) + " bytes)";
  } else if (names("HPE_CB_headers_complete") || names("HPE_CB_body")) {
    out += " (body over " + std::to_string(limits.body_bytes) + " bytes)";
  }
  return out;
}

}  // namespace

connection_log::connection_log(std::shared_ptr<log::logger> logger, std::size_t max_connections,
                               parser_limits limits)
    : logger_(std::move(logger)),
      max_connections_(max_connections),
      // Warning each time a slot frees up and is taken again would flood the log under load.
      rearm_at_(max_connections -
                std::min(max_connections, std::max<std::size_t>(1, max_connections / 10))),
      limits_(limits) {}

void connection_log::opened(std::uint64_t id, const std::string& client) {
  std::size_t open = 0;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    open_[id] = client;
    open = open_.size();
    if (open < max_connections_ || warned_) {
      return;
    }
    warned_ = true;
  }
  logger_->warn("http_connection_limit_reached",
                {{"max_connections", static_cast<std::int64_t>(max_connections_)},
                 {"open", static_cast<std::int64_t>(open)},
                 {"client", std::string_view{client}}});
}

void connection_log::closed(std::uint64_t id) {
  std::lock_guard<std::mutex> guard{mutex_};
  open_.erase(id);
  if (open_.size() <= rearm_at_) {
    warned_ = false;
  }
}

void connection_log::library_problem(std::string_view message) const {
  const auto line = split_connection(message);
  const auto reason = explain(line.text, limits_);
  const auto client = line.id ? client_of(*line.id) : std::nullopt;
  if (!line.id) {
    logger_->warn("http_connection_error", {{"reason", std::string_view{reason}}});
  } else if (!client) {
    logger_->warn("http_connection_error", {{"connection", static_cast<std::int64_t>(*line.id)},
                                            {"reason", std::string_view{reason}}});
  } else {
    logger_->warn("http_connection_error", {{"client", std::string_view{*client}},
                                            {"connection", static_cast<std::int64_t>(*line.id)},
                                            {"reason", std::string_view{reason}}});
  }
}

std::optional<std::string> connection_log::client_of(std::uint64_t id) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto found = open_.find(id);
  return found == open_.end() ? std::nullopt : std::optional<std::string>{found->second};
}

}  // namespace schedulerd::http
