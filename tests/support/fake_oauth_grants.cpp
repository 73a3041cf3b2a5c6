#include "tests/support/fake_oauth_grants.hpp"

#include "domain/ascii_text.hpp"
#include "domain/url_decoding.hpp"
#include "providers/http_client.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace schedulerd::testing {

std::string base64url(std::string_view bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16U) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8U) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += {alphabet[(n >> 18U) & 63U], alphabet[(n >> 12U) & 63U], alphabet[(n >> 6U) & 63U],
            alphabet[n & 63U]};
  }
  if (const auto rest = bytes.size() - i; rest > 0) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) {
      n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    }
    out += {alphabet[(n >> 18U) & 63U], alphabet[(n >> 12U) & 63U]};
    if (rest == 2) {
      out += alphabet[(n >> 6U) & 63U];
    }
  }
  return out;
}

std::string pkce_s256(std::string_view verifier) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
      1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return base64url({reinterpret_cast<const char*>(digest.data()), length});
}

std::map<std::string, std::string> parse_form(std::string_view text) {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    const auto end = text.find('&');
    const auto pair = text.substr(0, end);
    const auto eq = pair.find('=');
    auto name = domain::decode_query_component(pair.substr(0, eq));
    auto value = domain::decode_query_component(eq == std::string_view::npos ? std::string_view{}
                                                                             : pair.substr(eq + 1));
    if (!pair.empty() && name && value) {
      fields.emplace(std::move(*name), std::move(*value));
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return fields;
}

std::string bearer_token(const http::request& request) {
  const std::string_view value = request.header("authorization").value_or("");
  const auto space = value.find(' ');
  if (space == std::string_view::npos) {
    return {};
  }
  const auto scheme = domain::ascii_lower(value.substr(0, space));
  return scheme == "bearer" || scheme == "token" ? std::string{value.substr(space + 1)}
                                                 : std::string{};
}

std::string with_query(const std::string& uri, const std::string& query) {
  return uri + (uri.find('?') == std::string::npos ? '?' : '&') + query;
}

oauth_grants::oauth_grants(std::string code_prefix, std::string token_prefix)
    : code_prefix_(std::move(code_prefix)),
      token_prefix_(std::move(token_prefix)),
      random_(std::random_device{}()) {}

std::string oauth_grants::random_text(std::size_t length) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
  std::string out;
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(alphabet[pick(random_)]);
  }
  return out;
}

std::string oauth_grants::issue_code(nlohmann::json profile, std::string code_challenge,
                                     std::string redirect_uri, std::string scope) {
  std::lock_guard lock{mutex_};
  std::string code = code_prefix_ + random_text(32);
  grants_[code] = grant{
      std::move(profile), std::move(code_challenge), std::move(redirect_uri), std::move(scope), {}};
  return code;
}

redemption oauth_grants::redeem(const std::string& code, const std::string& redirect_uri,
                                const std::string& code_verifier) {
  std::lock_guard lock{mutex_};
  redemption result;
  auto it = grants_.find(code);
  if (it == grants_.end()) {
    result.refusal = grant_refusal::unknown_code;
    return result;
  }
  grant& g = it->second;
  if (!g.access_token.empty()) {
    // RFC 6749 section 4.1.2: a code used twice suggests theft, so its token stops working too.
    tokens_.erase(g.access_token);
    result.refusal = grant_refusal::reused_code;
    return result;
  }
  if (redirect_uri != g.redirect_uri) {
    result.refusal = grant_refusal::redirect_mismatch;
    return result;
  }
  if (code_verifier.empty() || pkce_s256(code_verifier) != g.code_challenge) {
    // A failed attempt leaves the code usable, so a test can show that only the verifier was wrong.
    result.refusal = grant_refusal::verifier_mismatch;
    return result;
  }
  g.access_token = token_prefix_ + random_text(36);
  result.access_token = g.access_token;
  result.scope = g.scope;
  result.profile = g.profile;
  tokens_[g.access_token] = result;
  return result;
}

std::optional<redemption> oauth_grants::lookup(const std::string& access_token) const {
  std::lock_guard lock{mutex_};
  auto it = tokens_.find(access_token);
  if (it == tokens_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string follow_consent(const std::string& authorize_url) {
  providers::outbound_request request;
  request.url = authorize_url;
  const auto answer = providers::send(request);
  if (answer.status != 302) {
    return {};
  }
  return std::string{answer.header("location").value_or("")};
}

}  // namespace schedulerd::testing
