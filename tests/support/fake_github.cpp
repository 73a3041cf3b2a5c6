#include "tests/support/fake_github.hpp"

#include "domain/url_encoding.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

namespace schedulerd::testing {

namespace {

constexpr const char* authorize_path = "/login/oauth/authorize";
constexpr const char* token_path = "/login/oauth/access_token";
constexpr const char* api_base = "/api/v3";
constexpr const char* errors_doc =
    "https://docs.github.com/apps/managing-oauth-apps/"
    "troubleshooting-oauth-app-access-token-request-errors/";

http::response json_answer(int status, const nlohmann::json& body) {
  http::response out;
  out.status = status;
  out.set_header("content-type", "application/json; charset=utf-8");
  out.body = body.dump();
  return out;
}

http::response redirect(const std::string& uri, const std::string& query) {
  http::response out;
  out.status = 302;
  out.set_header("location", with_query(uri, query));
  out.set_header("content-type", "text/html; charset=utf-8");
  return out;
}

http::response not_found_page() {
  http::response out;
  out.status = 404;
  out.set_header("content-type", "text/html; charset=utf-8");
  out.body = "<html><body>Page not found</body></html>";
  return out;
}

// "read:user user:email" -> the scope list GitHub grants, comma-separated in its own spelling.
std::vector<std::string> granted_scopes(const std::string& requested) {
  std::string words = requested;
  std::replace(words.begin(), words.end(), ',', ' ');
  std::istringstream in{words};
  std::vector<std::string> scopes;
  for (std::string word; in >> word;) {
    scopes.push_back(word);
  }
  return scopes;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

nlohmann::json profile_for(const github_user& user) {
  nlohmann::json public_email = nullptr;
  nlohmann::json emails = nlohmann::json::array();
  for (const auto& e : user.emails) {
    if (e.primary && e.visibility == "public") {
      public_email = e.email;
    }
    emails.push_back({{"email", e.email},
                      {"primary", e.primary},
                      {"verified", e.verified},
                      {"visibility", e.visibility.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(e.visibility)}});
  }
  const auto id = std::stoll(user.subject);  // GitHub ids are numbers; a test passing text is wrong
  nlohmann::json profile{
      {"login", user.login},
      {"id", id},
      {"node_id", "MDQ6VXNlcj" + user.subject},
      {"avatar_url", "https://avatars.githubusercontent.com/u/" + user.subject},
      {"html_url", "https://github.com/" + user.login},
      {"type", "User"},
      {"site_admin", false},
      {"name", user.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(user.name)},
      {"email", public_email}};
  return {{"user", profile}, {"emails", emails}};
}

}  // namespace

github_user make_github_user(const std::string& email, bool verified, std::string subject,
                             std::string name) {
  github_user user;
  user.login = email.substr(0, email.find('@'));
  user.emails = {{email, true, verified, "private"},
                 {subject + "+" + user.login + "@users.noreply.github.com", false, true, ""}};
  user.subject = std::move(subject);
  user.name = std::move(name);
  return user;
}

fake_github::fake_github()
    : fake_oauth_controls("<html><body>Unicorn! 503 Service Unavailable</body></html>",
                          "text/html; charset=utf-8") {
  const std::string root = api_base;
  server_.on("GET", authorize_path, [this](const http::request& r) { return authorize(r); });
  server_.on("POST", token_path, [this](const http::request& r) { return token(r); });
  server_.on("GET", root + "/user",
             [this](const http::request& r) { return api(r, endpoint::user); });
  server_.on("GET", root + "/user/emails",
             [this](const http::request& r) { return api(r, endpoint::emails); });
}

std::string fake_github::base_url() const {
  return server_.base_url();
}

config::oauth_provider fake_github::settings() const {
  const std::string base = base_url();
  return {client_id, client_secret, base + authorize_path, base + token_path, base + api_base};
}

std::string fake_github::approve(const std::string& email, bool verified,
                                 const std::string& code_challenge, const std::string& redirect_uri,
                                 std::string subject, std::string name) {
  return approve(make_github_user(email, verified, std::move(subject), std::move(name)),
                 code_challenge, redirect_uri);
}

std::string fake_github::approve(const github_user& user, const std::string& code_challenge,
                                 const std::string& redirect_uri) {
  return grants_.issue_code(profile_for(user), code_challenge, redirect_uri,
                            "read:user,user:email");
}

void fake_github::set_latency(std::chrono::milliseconds delay) {
  server_.set_latency(delay);
}

http::response fake_github::authorize(const http::request& request) {
  auto params = parse_form(request.query);
  const auto [user, deny] = visit(params);
  if (auto failure = injected(endpoint::authorize)) {
    return *failure;
  }
  // GitHub shows its 404 page for an unknown client; with no registered callback to fall back
  // on, the fake needs the redirect_uri too.
  if (params["client_id"] != client_id || params["redirect_uri"].empty()) {
    return not_found_page();
  }
  const std::string& redirect_uri = params["redirect_uri"];
  const std::string state = domain::url_encode(params["state"]);
  if (params["code_challenge"].empty() || params["code_challenge_method"] != "S256") {
    return redirect(redirect_uri, "error=invalid_request&error_description=" +
                                      domain::url_encode("code_challenge_method must be S256") +
                                      "&state=" + state);
  }
  if (deny) {
    return redirect(redirect_uri,
                    "error=access_denied&error_description=" +
                        domain::url_encode("The user has denied your application access.") +
                        "&error_uri=" + domain::url_encode(std::string{errors_doc}) +
                        "&state=" + state);
  }
  const std::string code =
      grants_.issue_code(profile_for(user), params["code_challenge"], redirect_uri,
                         join(granted_scopes(params["scope"]), ","));
  return redirect(redirect_uri, "code=" + domain::url_encode(code) + "&state=" + state);
}

http::response fake_github::token(const http::request& request) {
  if (auto failure = injected(endpoint::token)) {
    return *failure;
  }
  auto form = parse_form(request.body.empty() ? request.query : request.body);
  const bool wants_json =
      request.header("accept").value_or("").find("application/json") != std::string_view::npos;
  // GitHub reports token errors with 200 and form-encodes every answer unless asked for JSON.
  auto answer = [wants_json](const std::vector<std::pair<std::string, std::string>>& fields) {
    http::response out;
    nlohmann::json body = nlohmann::json::object();
    std::string form_body;
    for (const auto& [name, value] : fields) {
      body[name] = value;
      form_body += (form_body.empty() ? "" : "&") + name + "=" + domain::url_encode(value);
    }
    out.set_header("content-type", wants_json ? "application/json; charset=utf-8"
                                              : "application/x-www-form-urlencoded; charset=utf-8");
    out.body = wants_json ? body.dump() : form_body;
    return out;
  };
  auto error = [&answer](const std::string& code, const std::string& description) {
    return answer({{"error", code},
                   {"error_description", description},
                   {"error_uri", errors_doc + std::string{"#"} + code}});
  };
  if (form["client_id"] != client_id || form["client_secret"] != client_secret) {
    return error("incorrect_client_credentials",
                 "The client_id and/or client_secret passed are incorrect.");
  }
  if (form.contains("grant_type") && form["grant_type"] != "authorization_code") {
    return error("unsupported_grant_type", "The grant type is not supported.");
  }
  const redemption result =
      grants_.redeem(form["code"], form["redirect_uri"], form["code_verifier"]);
  switch (result.refusal) {
    case grant_refusal::none:
      break;
    case grant_refusal::redirect_mismatch:
      return error("redirect_uri_mismatch",
                   "The redirect_uri MUST match the registered callback URL for this application.");
    case grant_refusal::unknown_code:
    case grant_refusal::reused_code:
    case grant_refusal::verifier_mismatch:
      return error("bad_verification_code", "The code passed is incorrect or expired.");
  }
  return answer(
      {{"access_token", result.access_token}, {"token_type", "bearer"}, {"scope", result.scope}});
}

http::response fake_github::api(const http::request& request, endpoint which) const {
  if (auto failure = injected(which)) {
    return *failure;
  }
  if (request.header("user-agent").value_or("").empty()) {
    http::response out;
    out.status = 403;
    out.set_header("content-type", "text/plain; charset=utf-8");
    out.body =
        "Request forbidden by administrative rules. Please make sure your request has a "
        "User-Agent header (https://docs.github.com/en/rest/overview/"
        "resources-in-the-rest-api#user-agent-required). Check https://developer.github.com "
        "for other possible causes.\n";
    return out;
  }
  const std::string token = bearer_token(request);
  const auto grant = token.empty() ? std::nullopt : grants_.lookup(token);
  if (!grant) {
    return json_answer(401,
                       {{"message", token.empty() ? "Requires authentication" : "Bad credentials"},
                        {"documentation_url", "https://docs.github.com/rest"},
                        {"status", "401"}});
  }
  const auto scopes = granted_scopes(grant->scope);
  auto has = [&scopes](const char* scope) {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  };
  http::response out;
  if (which == endpoint::emails && !has("user:email") && !has("user")) {
    out = json_answer(404, {{"message", "Not Found"},
                            {"documentation_url",
                             "https://docs.github.com/rest/users/emails"
                             "#list-email-addresses-for-the-authenticated-user"},
                            {"status", "404"}});
  } else {
    out = json_answer(200, grant->profile.at(which == endpoint::user ? "user" : "emails"));
  }
  out.set_header("x-oauth-scopes", join(scopes, ", "));
  out.set_header("x-accepted-oauth-scopes", which == endpoint::emails ? "user, user:email" : "");
  out.set_header("x-github-media-type", "github.v3; format=json");
  return out;
}

}  // namespace schedulerd::testing
