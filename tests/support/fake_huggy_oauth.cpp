#include "tests/support/fake_huggy.hpp"

#include "domain/url_encoding.hpp"
#include "tests/support/fake_huggy_answers.hpp"
#include "tests/support/fake_oauth_grants.hpp"

// The auth half of the fake: auth.huggy.app's authorize page and token endpoint, refusing the
// way league/oauth2-server (which Huggy's answers show it runs) does.

namespace schedulerd::testing {

namespace {

// Token timestamps start here, so the claims are the same on every run but for their ids.
constexpr std::int64_t first_issued_at = 1735689600;

http::response invalid_request(const std::string& hint) {
  return huggy_answers::oauth_error(
      400, "invalid_request",
      "The request is missing a required parameter, includes an invalid parameter value, "
      "includes a parameter more than once, or is otherwise malformed.",
      hint);
}

http::response invalid_client() {
  return huggy_answers::oauth_error(401, "invalid_client", "Client authentication failed", "");
}

http::response redirect(const std::string& uri, const std::string& query) {
  http::response out;
  out.status = 302;
  out.set_header("location", with_query(uri, query));
  return out;
}

// The token request's fields, from a JSON object (strings and numbers) or a form.
std::map<std::string, std::string> token_fields(const http::request& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return parse_form(request.body);
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : body.items()) {
    fields[name] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return fields;
}

// Refuses a request whose client is missing or unknown, as both grants do first.
std::optional<http::response> client_refusal(const std::map<std::string, std::string>& fields) {
  const auto id = fields.find("client_id");
  if (id == fields.end() || id->second.empty()) {
    return invalid_request("Check the `client_id` parameter");
  }
  const auto secret = fields.find("client_secret");
  if (id->second != fake_huggy::client_id || secret == fields.end() ||
      secret->second != fake_huggy::client_secret) {
    return invalid_client();
  }
  return std::nullopt;
}

std::string field(const std::map<std::string, std::string>& fields, const std::string& name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string{} : it->second;
}

}  // namespace

std::string fake_huggy::random_hex(std::size_t length) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  while (out.size() < length) out += digits[random_() % digits.size()];
  return out;
}

// A token shaped like Huggy's (an RS256 JWT with its claims) with a random signature part.
nlohmann::json fake_huggy::issue_tokens(const std::string& grant_type) {
  const auto issued_at = first_issued_at + grants_[grant_type]++;
  const nlohmann::json claims{{"aud", client_id},
                              {"jti", random_hex(40)},
                              {"iat", issued_at},
                              {"nbf", issued_at},
                              {"exp", issued_at + token_lifetime_.count()},
                              {"sub", "4242"},
                              {"scopes", {"install_app", "read_agent_profile"}}};
  const auto access = base64url(R"({"typ":"JWT","alg":"RS256"})") + "." + base64url(claims.dump()) +
                      "." + base64url(random_hex(32));
  const auto refresh = "def50200" + random_hex(120);
  access_tokens_.insert(access);
  refresh_tokens_[refresh] = access;
  return {{"token_type", "Bearer"},
          {"expires_in", token_lifetime_.count()},
          {"access_token", access},
          {"refresh_token", refresh}};
}

http::response fake_huggy::authorize(const http::request& request) {
  auto params = parse_form(request.query);
  authorize_params_ = params;
  if (field(params, "client_id") != client_id) return invalid_client();
  if (field(params, "response_type") != "code") {
    return huggy_answers::oauth_error(
        400, "unsupported_response_type",
        "The authorization server does not support obtaining an authorization code using this "
        "method.",
        "Check the `response_type` parameter");
  }
  const auto redirect_uri = field(params, "redirect_uri");
  if (redirect_uri.empty()) return invalid_request("Check the `redirect_uri` parameter");
  const auto state =
      params.contains("state") ? "&state=" + domain::url_encode(params["state"]) : std::string{};
  if (deny_) {
    return redirect(redirect_uri,
                    "error=access_denied&error_description=" +
                        domain::url_encode("The resource owner or authorization server denied "
                                           "the request.") +
                        state);
  }
  const auto code = "def50200" + random_hex(96);
  codes_[code] = redirect_uri;
  return redirect(redirect_uri, "code=" + code + state);
}

http::response fake_huggy::token(const http::request& request) {
  const auto fields = token_fields(request);
  const auto grant_type = field(fields, "grant_type");
  if (grant_type == "authorization_code") return code_grant(fields);
  if (grant_type == "refresh_token") return refresh_grant(fields);
  return huggy_answers::oauth_error(
      400, "unsupported_grant_type",
      "The authorization grant type is not supported by the authorization server.",
      "Check that all required parameters have been provided");
}

http::response fake_huggy::code_grant(const std::map<std::string, std::string>& fields) {
  if (auto refusal = client_refusal(fields)) return std::move(*refusal);
  const auto code = field(fields, "code");
  if (code.empty()) return invalid_request("Check the `code` parameter");
  if (used_codes_.contains(code)) return invalid_request("Authorization code has been revoked");
  const auto found = codes_.find(code);
  if (found == codes_.end()) return invalid_request("Cannot decrypt the authorization code");
  // Like league, a redirect_uri is checked when given (some clients leave it out).
  const auto redirect_uri = field(fields, "redirect_uri");
  if (!redirect_uri.empty() && redirect_uri != found->second) {
    return invalid_request("Invalid redirect URI");
  }
  codes_.erase(found);
  used_codes_.insert(code);
  return huggy_answers::json(200, issue_tokens("authorization_code"));
}

http::response fake_huggy::refresh_grant(const std::map<std::string, std::string>& fields) {
  if (auto refusal = client_refusal(fields)) return std::move(*refusal);
  const auto refresh = field(fields, "refresh_token");
  if (refresh.empty()) return invalid_request("Check the `refresh_token` parameter");
  const auto found = refresh_tokens_.find(refresh);
  if (found == refresh_tokens_.end()) {
    return huggy_answers::oauth_error(400, "invalid_grant", "The refresh token is invalid.",
                                      rotated_refresh_tokens_.contains(refresh)
                                          ? "Token has been revoked"
                                          : "Cannot decrypt the refresh token");
  }
  // league rotates: the old refresh token and the access token issued with it stop working.
  access_tokens_.erase(found->second);
  rotated_refresh_tokens_.insert(refresh);
  refresh_tokens_.erase(found);
  return huggy_answers::json(200, issue_tokens("refresh_token"));
}

}  // namespace schedulerd::testing
