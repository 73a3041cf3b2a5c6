#include "tests/support/fake_huggy.hpp"

#include "tests/support/fake_huggy_answers.hpp"
#include "tests/support/fake_oauth_grants.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace schedulerd::testing {

namespace huggy_answers {

http::response json(int status, const nlohmann::json& body) {
  http::response out;
  out.status = status;
  out.set_header("content-type", "application/json");
  out.body = body.dump();
  return out;
}

http::response reason(int status, const std::string& reason) {
  return json(status, {{"reason", reason}});
}

http::response oauth_error(int status, const std::string& error, const std::string& message,
                           const std::string& hint) {
  nlohmann::json body{{"error", error}, {"message", message}};
  if (!hint.empty()) body["hint"] = hint;
  return json(status, body);
}

}  // namespace huggy_answers

namespace {

// The path after `/v3` and, on company routes, after `/companies/{cid}`.
std::string resource_path(const http::request& request) {
  std::string_view path = request.path;
  path.remove_prefix(std::min<std::size_t>(path.size(), 3));
  if (request.path_params.contains("cid")) {
    path.remove_prefix(std::min(path.size(), std::string_view{"/companies/"}.size()));
    path.remove_prefix(std::min(path.size(), path.find('/')));
  }
  return std::string{path};
}

// What Huggy's stack is likely to answer when it fails by itself (the 429 is Laravel's throttle).
http::response failure_answer(int status, const std::string& body) {
  if (!body.empty()) {
    http::response out = huggy_answers::json(status, nullptr);
    out.body = body;
    return out;
  }
  if (status == 429) return huggy_answers::json(status, {{"message", "Too Many Attempts."}});
  if (status >= 502 && status <= 504) {
    http::response out;
    out.status = status;
    out.set_header("content-type", "text/html");
    out.body = "<html><body><h1>" + std::to_string(status) + " Bad Gateway</h1></body></html>";
    return out;
  }
  return huggy_answers::reason(status, "Erro interno. Tente novamente mais tarde.");
}

}  // namespace

fake_huggy::fake_huggy() : random_(std::random_device{}()) {
  access_tokens_.insert(access_token);
  refresh_tokens_.emplace(refresh_token, access_token);
  profile_ = {{"id", 4242},
              {"name", "Ana Atendente"},
              {"email", "ana.atendente@empresa.com.br"},
              {"photo", "https://cdn.huggy.app/agents/4242.png"}};
  api("GET", "/agents/profile", &fake_huggy::profile);
  api("GET", "/contacts", &fake_huggy::contacts);
  api("GET", "/contacts/{id}", &fake_huggy::contact);
  api("GET", "/chats", &fake_huggy::chats);
  api("POST", "/contacts/{id}/chats", &fake_huggy::create_chat);
  api("POST", "/chats/{id}/messages", &fake_huggy::post_message);
  api("PUT", "/contacts/{id}/execFlow", &fake_huggy::exec_flow);
  auth("GET", "/oauth/authorize", &fake_huggy::authorize);
  auth("POST", "/oauth/access_token", &fake_huggy::token);
}

std::string fake_huggy::api_base_url() const {
  return server_.base_url() + "/v3";
}

std::string fake_huggy::auth_base_url() const {
  return server_.base_url();
}

void fake_huggy::accept_token(const std::string& token) {
  std::lock_guard lock{mutex_};
  access_tokens_.insert(token);
}

void fake_huggy::revoke_token(const std::string& token) {
  std::lock_guard lock{mutex_};
  access_tokens_.erase(token);
}

void fake_huggy::accept_refresh_token(const std::string& token) {
  std::lock_guard lock{mutex_};
  refresh_tokens_.emplace(token, std::string{});
}

void fake_huggy::set_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock{mutex_};
  token_lifetime_ = lifetime;
}

void fake_huggy::deny_consent(bool deny) {
  std::lock_guard lock{mutex_};
  deny_ = deny;
}

std::map<std::string, std::string> fake_huggy::authorize_params() const {
  std::lock_guard lock{mutex_};
  return authorize_params_;
}

int fake_huggy::grants(const std::string& grant_type) const {
  std::lock_guard lock{mutex_};
  const auto it = grants_.find(grant_type);
  return it == grants_.end() ? 0 : it->second;
}

void fake_huggy::set_contact_count(std::int64_t count) {
  std::lock_guard lock{mutex_};
  contact_count_ = count;
}

void fake_huggy::set_profile(nlohmann::json profile) {
  std::lock_guard lock{mutex_};
  profile_ = std::move(profile);
}

std::int64_t fake_huggy::add_chat(std::int64_t contact_id, const std::string& situation) {
  std::lock_guard lock{mutex_};
  const auto id = next_chat_id_++;
  chats_[id] = huggy_chat{id, contact_id, situation};
  return id;
}

void fake_huggy::set_situation(std::int64_t chat_id, const std::string& situation) {
  std::lock_guard lock{mutex_};
  chats_.at(chat_id).situation = situation;
}

std::vector<huggy_chat> fake_huggy::chats_of(std::int64_t contact_id) const {
  std::lock_guard lock{mutex_};
  std::vector<huggy_chat> out;
  for (const auto& [id, chat] : chats_) {
    if (chat.contact_id == contact_id) out.push_back(chat);
  }
  return out;
}

void fake_huggy::fail_next(std::string path_prefix, int status, int times, std::string retry_after,
                           std::string body) {
  std::lock_guard lock{mutex_};
  failures_.push_back(
      {std::move(path_prefix), status, times, std::move(retry_after), std::move(body)});
}

void fake_huggy::fail_contacts_page(int page, int status, int times) {
  std::lock_guard lock{mutex_};
  page_failures_[page] = injected_failure{"/contacts", status, times, {}, {}};
}

void fake_huggy::clear_failures() {
  std::lock_guard lock{mutex_};
  failures_.clear();
  page_failures_.clear();
}

void fake_huggy::set_latency(std::chrono::milliseconds delay) {
  server_.set_latency(delay);
}

std::vector<huggy_delivery> fake_huggy::deliveries() const {
  std::lock_guard lock{mutex_};
  return deliveries_;
}

std::size_t fake_huggy::sends_to(std::int64_t contact_id) const {
  std::lock_guard lock{mutex_};
  return static_cast<std::size_t>(
      std::count_if(deliveries_.begin(), deliveries_.end(),
                    [contact_id](const huggy_delivery& d) { return d.contact_id == contact_id; }));
}

std::size_t fake_huggy::delivered() const {
  std::lock_guard lock{mutex_};
  return deliveries_.size();
}

std::map<std::int64_t, std::size_t> fake_huggy::sends_per_contact() const {
  std::lock_guard lock{mutex_};
  std::map<std::int64_t, std::size_t> counts;
  for (const auto& delivery : deliveries_) {
    ++counts[delivery.contact_id];
  }
  return counts;
}

std::vector<std::chrono::steady_clock::time_point> fake_huggy::delivery_times() const {
  std::lock_guard lock{mutex_};
  std::vector<std::chrono::steady_clock::time_point> times;
  times.reserve(deliveries_.size());
  for (const auto& delivery : deliveries_) {
    times.push_back(delivery.at);
  }
  return times;
}

void fake_huggy::api(const std::string& method, const std::string& path, handler_fn handle) {
  for (const std::string prefix : {"/v3", "/v3/companies/{cid}"}) {
    server_.on(method, prefix + path, [this, handle](const http::request& request) {
      std::lock_guard lock{mutex_};
      if (auto answer = injected(request, resource_path(request))) return std::move(*answer);
      if (auto answer = refused(request)) return std::move(*answer);
      return (this->*handle)(request);
    });
  }
}

void fake_huggy::auth(const std::string& method, const std::string& path, handler_fn handle) {
  server_.on(method, path, [this, handle](const http::request& request) {
    std::lock_guard lock{mutex_};
    if (auto answer = injected(request, request.path)) return std::move(*answer);
    return (this->*handle)(request);
  });
}

std::optional<http::response> fake_huggy::injected(const http::request& request,
                                                   const std::string& path) {
  const auto matches = [&](const injected_failure& f) {
    return f.times != 0 &&
           (request.path.rfind(f.path_prefix, 0) == 0 || path.rfind(f.path_prefix, 0) == 0);
  };
  const auto it = std::find_if(failures_.begin(), failures_.end(), matches);
  if (it == failures_.end()) return std::nullopt;
  auto answer = failure_answer(it->status, it->body);
  if (!it->retry_after.empty()) answer.set_header("retry-after", it->retry_after);
  if (it->times > 0 && --it->times == 0) failures_.erase(it);
  return answer;
}

// league/oauth2-server's resource server: every refusal is 401 access_denied with a hint.
std::optional<http::response> fake_huggy::refused(const http::request& request) const {
  const auto header = request.header("authorization");
  const auto denied = [](const std::string& hint) {
    return huggy_answers::oauth_error(
        401, "access_denied", "The resource owner or authorization server denied the request.",
        hint);
  };
  if (!header) return denied("Missing \"Authorization\" header");
  const auto token = bearer_token(request);
  if (!access_tokens_.contains(token)) {
    return denied(std::count(token.begin(), token.end(), '.') != 2
                      ? "The JWT string must have two dots"
                      : "Access token could not be verified");
  }
  const auto company = request.path_params.find("cid");
  if (company != request.path_params.end() && company->second != company_id) {
    return huggy_answers::reason(403, "Você não tem permissão para acessar esta empresa");
  }
  return std::nullopt;
}

}  // namespace schedulerd::testing
