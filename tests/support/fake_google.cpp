#include "tests/support/fake_google.hpp"

#include "domain/url_encoding.hpp"

#include <chrono>
#include <sstream>
#include <utility>
#include <vector>

namespace schedulerd::testing {

namespace {

constexpr const char* authorize_path = "/o/oauth2/v2/auth";
constexpr const char* token_path = "/token";
constexpr const char* userinfo_path = "/v1/userinfo";
constexpr const char* email_scope = "https://www.googleapis.com/auth/userinfo.email";
constexpr const char* profile_scope = "https://www.googleapis.com/auth/userinfo.profile";

http::response json_answer(int status, const nlohmann::json& body) {
  http::response out;
  out.status = status;
  out.set_header("content-type", "application/json; charset=utf-8");
  out.set_header("cache-control", "no-cache, no-store, max-age=0, must-revalidate");
  out.set_header("pragma", "no-cache");
  out.body = body.dump(2);
  return out;
}

http::response oauth_error(int status, const std::string& error, const std::string& description) {
  return json_answer(status, {{"error", error}, {"error_description", description}});
}

// Google answers a broken authorize request with an error page, not a redirect.
http::response error_page(int status, const std::string& text) {
  http::response out;
  out.status = status;
  out.set_header("content-type", "text/html; charset=utf-8");
  out.body =
      "<html><body><h1>Access blocked: Authorization Error</h1><p>" + text + "</p></body></html>";
  return out;
}

http::response redirect(const std::string& uri, const std::string& query) {
  http::response out;
  out.status = 302;
  out.set_header("location", with_query(uri, query));
  out.set_header("content-type", "text/html; charset=UTF-8");
  return out;
}

// "openid email profile" -> the scope string Google grants, in its own spelling.
std::string granted_scope(const std::string& requested) {
  std::istringstream words{requested};
  std::vector<std::string> granted;
  for (std::string word; words >> word;) {
    if (word == "email" || word == email_scope) {
      granted.emplace_back(email_scope);
    } else if (word == "profile" || word == profile_scope) {
      granted.emplace_back(profile_scope);
    } else if (word == "openid") {
      granted.emplace_back("openid");
    }
  }
  std::string out;
  for (const auto& scope : granted) {
    out += (out.empty() ? "" : " ") + scope;
  }
  return out;
}

// The userinfo answer carries only what the granted scopes allow, as Google's does.
nlohmann::json userinfo_for(const google_user& user, const std::string& scope) {
  nlohmann::json info{{"sub", user.subject}};
  if (scope.find(profile_scope) != std::string::npos) {
    info["name"] = user.name;
    info["given_name"] = user.name.substr(0, user.name.find(' '));
    info["picture"] = "https://lh3.googleusercontent.com/a/fake-" + user.subject + "=s96-c";
  }
  if (scope.find(email_scope) != std::string::npos) {
    info["email"] = user.email;
    info["email_verified"] = user.email_verified;
  }
  return info;
}

// Shaped like Google's ID token, signed by nobody: the service reads the identity from userinfo.
std::string id_token_for(const nlohmann::json& profile) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  nlohmann::json claims = profile;
  claims["iss"] = "https://accounts.google.com";
  claims["aud"] = fake_google::client_id;
  claims["azp"] = fake_google::client_id;
  claims["iat"] = now;
  claims["exp"] = now + 3599;
  return base64url(R"({"alg":"RS256","kid":"fake","typ":"JWT"})") + "." + base64url(claims.dump()) +
         "." + base64url("not a signature");
}

}  // namespace

fake_google::fake_google()
    : fake_oauth_controls("<html><body>Service Unavailable</body></html>",
                          "text/html; charset=UTF-8") {
  server_.on("GET", authorize_path, [this](const http::request& r) { return authorize(r); });
  server_.on("POST", token_path, [this](const http::request& r) { return token(r); });
  server_.on("GET", userinfo_path, [this](const http::request& r) { return userinfo(r); });
}

std::string fake_google::base_url() const {
  return server_.base_url();
}

config::oauth_provider fake_google::settings() const {
  const std::string base = base_url();
  return {client_id, client_secret, base + authorize_path, base + token_path, base + userinfo_path};
}

std::string fake_google::approve(const std::string& email, bool verified,
                                 const std::string& code_challenge, const std::string& redirect_uri,
                                 std::string subject, std::string name) {
  const std::string scope = granted_scope("openid email profile");
  const google_user user{email, verified, std::move(subject), std::move(name)};
  return grants_.issue_code(userinfo_for(user, scope), code_challenge, redirect_uri, scope);
}

void fake_google::set_latency(std::chrono::milliseconds delay) {
  server_.set_latency(delay);
}

http::response fake_google::authorize(const http::request& request) {
  auto params = parse_form(request.query);
  const auto [user, deny] = visit(params);
  if (auto failure = injected(endpoint::authorize)) {
    return *failure;
  }
  if (params["client_id"] != client_id) {
    return error_page(401, "Error 401: invalid_client. The OAuth client was not found.");
  }
  const std::string& redirect_uri = params["redirect_uri"];
  if (redirect_uri.empty()) {
    return error_page(400, "Error 400: invalid_request. Missing required parameter: redirect_uri");
  }
  if (params["response_type"] != "code") {
    return error_page(400, "Error 400: invalid_request. Invalid response_type");
  }
  if (params["code_challenge"].empty() || params["code_challenge_method"] != "S256") {
    return error_page(400, "Error 400: invalid_request. Invalid code_challenge_method");
  }
  const std::string& state = params["state"];
  if (deny) {
    return redirect(redirect_uri, "error=access_denied&state=" + domain::url_encode(state));
  }
  const std::string scope = granted_scope(params["scope"]);
  const std::string code =
      grants_.issue_code(userinfo_for(user, scope), params["code_challenge"], redirect_uri, scope);
  return redirect(redirect_uri,
                  "state=" + domain::url_encode(state) + "&code=" + domain::url_encode(code) +
                      "&scope=" + domain::url_encode(scope) + "&authuser=0&prompt=consent");
}

http::response fake_google::token(const http::request& request) {
  if (auto failure = injected(endpoint::token)) {
    return *failure;
  }
  const auto content_type = request.header("content-type").value_or("");
  if (content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    return oauth_error(400, "invalid_request", "Invalid request body: expected a form");
  }
  auto form = parse_form(request.body);
  if (form["client_id"].empty()) {
    return oauth_error(400, "invalid_request", "Could not determine client ID from request.");
  }
  if (form["client_id"] != client_id) {
    return oauth_error(401, "invalid_client", "The OAuth client was not found.");
  }
  if (form["client_secret"] != client_secret) {
    return oauth_error(401, "invalid_client", "Unauthorized");
  }
  if (form["grant_type"] != "authorization_code") {
    return oauth_error(400, "unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
  }
  if (form["code"].empty()) {
    return oauth_error(400, "invalid_request", "Missing required parameter: code");
  }
  const redemption result =
      grants_.redeem(form["code"], form["redirect_uri"], form["code_verifier"]);
  switch (result.refusal) {
    case grant_refusal::none:
      break;
    case grant_refusal::redirect_mismatch:
      return oauth_error(400, "redirect_uri_mismatch", "Bad Request");
    case grant_refusal::unknown_code:
    case grant_refusal::reused_code:
    case grant_refusal::verifier_mismatch:
      return oauth_error(400, "invalid_grant", "Bad Request");
  }
  nlohmann::json body{{"access_token", result.access_token},
                      {"expires_in", 3599},
                      {"scope", result.scope},
                      {"token_type", "Bearer"}};
  if (result.scope.find("openid") != std::string::npos) {
    body["id_token"] = id_token_for(result.profile);
  }
  return json_answer(200, body);
}

http::response fake_google::userinfo(const http::request& request) const {
  if (auto failure = injected(endpoint::userinfo)) {
    return *failure;
  }
  const std::string token = bearer_token(request);
  const auto grant = token.empty() ? std::nullopt : grants_.lookup(token);
  if (!grant) {
    http::response out = oauth_error(401, "invalid_request", "Invalid Credentials");
    out.set_header("www-authenticate", token.empty()
                                           ? R"(Bearer realm="https://accounts.google.com/")"
                                           : R"(Bearer realm="https://accounts.google.com/", )"
                                             R"(error="invalid_token")");
    return out;
  }
  return json_answer(200, grant->profile);
}

}  // namespace schedulerd::testing
