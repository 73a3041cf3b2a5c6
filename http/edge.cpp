#include "http/edge.hpp"

#include "domain/ascii_text.hpp"
#include "http/access_log.hpp"
#include "http/exchange.hpp"
#include "http/forwarded_client.hpp"
#include "http/status.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <random>
#include <utility>

namespace schedulerd::http {

namespace {

bool is_safe_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

std::string new_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string id(20, '0');
  auto bits = engine();
  auto more = engine();
  for (std::size_t i = 0; i < id.size(); ++i) {
    auto& source = i < 16 ? bits : more;
    id[i] = digits[source & 0x0FU];
    source >>= 4U;
  }
  return id;
}

bool has_json_content_type(const request& req) {
  auto type = req.header("content-type");
  if (!type) {
    return false;
  }
  auto lowered = domain::ascii_lower(type->substr(0, type->find(';')));
  lowered.erase(std::remove(lowered.begin(), lowered.end(), ' '), lowered.end());
  return lowered == "application/json";
}

bool carries_body(const request& req) {
  return !req.body.empty() &&
         (req.method == "POST" || req.method == "PUT" || req.method == "PATCH");
}

// The request target as it came on the request line: the path, then `?` and the query if any.
std::size_t target_bytes(const request& req) {
  return req.path.size() + (req.query.empty() ? 0 : req.query.size() + 1);
}

// The header section as it came on the wire: each line is `name: value` and CRLF.
std::size_t header_bytes(const request& req) {
  std::size_t total = 0;
  for (const auto& [name, value] : req.headers) {
    total += name.size() + value.size() + 4;
  }
  return total;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

}  // namespace

void exchange::finish(response res) {
  res.set_header("x-request-id", summary.request_id);
  res.set_header("x-content-type-options", "nosniff");
  res.set_header("x-frame-options", "DENY");
  res.set_header("referrer-policy", "no-referrer");
  if (!res.header("cache-control")) {
    res.set_header("cache-control", "no-store");
  }
  if (budget) {
    res.set_header("x-ratelimit-limit", std::to_string(budget->limit));
    res.set_header("x-ratelimit-remaining", std::to_string(budget->remaining));
    if (!budget->allowed) {
      res.set_header("retry-after", std::to_string(budget->retry_after_s));
    }
  }
  owner->cors_.decorate(summary, res);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  write_access_log(*owner->logger_, summary, res.status, elapsed);
  if (owner->metrics_) {
    std::optional<std::string_view> scope;
    if (res.status == 429) {
      scope = rate_limited_scope(budget && !budget->allowed, who, summary.user_id != 0);
    }
    owner->metrics_->record(summary.route, summary.method, res.status, elapsed, scope);
  }
  {
    // The reply function holds the client's connection; it must be gone before the edge counts
    // this request as finished, or the connection could outlive the server that owns its timers.
    auto deliver = std::exchange(reply, nullptr);
    deliver(std::move(res));
  }
  owner->finished();
}

void exchange::log_swallowed(std::string_view event, std::string_view reason) const {
  owner->logger_->warn(event, {{"request_id", std::string_view{summary.request_id}},
                               {"route", std::string_view{summary.route}},
                               {"reason", reason}});
}

edge::edge(caf::actor_system& system, router routes, edge_settings settings,
           std::shared_ptr<log::logger> logger)
    : system_(system),
      routes_(std::move(routes)),
      settings_(std::make_shared<const edge_settings>(std::move(settings))),
      handler_timeout_(settings_->handler_timeout),
      cors_(settings_->cors_allowed_origins),
      logger_(std::move(logger)),
      metrics_(settings_->metrics) {}

edge::~edge() {
  // A bridge calls finished() just after replying: the edge must outlive that call.
  std::unique_lock<std::mutex> guard{in_flight_mutex_};
  all_done_.wait_for(guard, handler_timeout_ + std::chrono::seconds{5},
                     [this] { return in_flight_ == 0; });
}

void edge::handle(request req, reply_fn reply) {
  {
    std::lock_guard<std::mutex> guard{in_flight_mutex_};
    ++in_flight_;
  }
  auto incoming_id = req.header("x-request-id");
  req.request_id = incoming_id && is_safe_request_id(*incoming_id) ? std::string{*incoming_id}
                                                                   : new_request_id();
  auto ex = std::make_shared<exchange>();
  ex->owner = this;
  ex->summary.method = req.method;
  ex->summary.path = req.path;
  ex->summary.request_id = req.request_id;
  req.client_address =
      forwarded_client(req.client_address, req.headers, settings_->trusted_proxies);
  ex->summary.client_address = req.client_address;
  if (auto origin = req.header("origin")) {
    ex->summary.headers.emplace_back("origin", std::string{*origin});
  }
  ex->reply = std::move(reply);
  ex->started = std::chrono::steady_clock::now();

  if (draining_) {
    ex->finish(error_response(errc::unavailable, "The service is shutting down."));
    return;
  }
  // The server's parser allows more, so that these clients get an answer instead of a reset.
  if (target_bytes(req) > settings_->max_target_bytes) {
    ex->finish(error_response(errc::uri_too_long));
    return;
  }
  if (header_bytes(req) > settings_->max_header_bytes) {
    ex->finish(error_response(errc::headers_too_large));
    return;
  }
  if (cors_policy::is_preflight(req)) {
    auto found = routes_.find("", req.path);
    if (found.allowed_methods.empty()) {
      ex->finish(error_response(errc::not_found));
    } else {
      ex->finish(cors_.preflight(req, found.allowed_methods));
    }
    return;
  }
  auto found = routes_.find(req.method, req.path);
  if (found.matched == nullptr) {
    if (found.allowed_methods.empty()) {
      ex->finish(error_response(errc::not_found));
    } else {
      auto res = error_response(errc::method_not_allowed);
      res.set_header("allow", join(found.allowed_methods));
      ex->finish(std::move(res));
    }
    return;
  }
  if (req.body.size() > found.matched->options.body_limit) {
    ex->finish(error_response(errc::payload_too_large));
    return;
  }
  if (carries_body(req)) {
    if (!has_json_content_type(req)) {
      ex->finish(error_response(errc::unsupported_media_type));
      return;
    }
    if (!nlohmann::json::accept(req.body)) {
      ex->finish(error_response(errc::bad_request, "The request body is not valid JSON."));
      return;
    }
  }
  // HEAD reaches the GET handler as GET; the server sends the answer's headers without its body.
  req.method = found.matched->method;
  req.route = found.matched->pattern;
  ex->summary.route = req.route;
  ex->who = found.matched->options.who;
  req.path_params = std::move(found.params);
  spawn_bridge(system_, settings_, std::move(ex), std::move(req), *found.matched);
}

bool edge::drain(std::chrono::milliseconds grace) {
  draining_ = true;
  std::unique_lock<std::mutex> guard{in_flight_mutex_};
  return all_done_.wait_for(guard, grace, [this] { return in_flight_ == 0; });
}

void edge::finished() {
  std::lock_guard<std::mutex> guard{in_flight_mutex_};
  if (--in_flight_ == 0) {
    all_done_.notify_all();
  }
}

}  // namespace schedulerd::http
