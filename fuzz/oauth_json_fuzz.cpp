// libFuzzer harness: OAuth provider answers (the only third-party response parsing so far; the
// Huggy client does not exist yet) through the helpers of providers/oauth/json_call.hpp.
#include "domain/ascii_text.hpp"
#include "domain/url_decoding.hpp"
#include "providers/oauth/json_call.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool holds) {
  if (!holds) std::abort();
}

// Reads one provider object the way google.cpp and github.cpp do.
void read_identity(const nlohmann::json& body) {
  using namespace schedulerd::providers::oauth;
  for (const char* key : {"error", "access_token", "sub", "id", "login", "email", "name", "message",
                          "error_description"}) {
    const auto value = string_field(body, key);
    if (!value.empty()) check(body.is_object() && body.at(key).is_string());
    const auto lower = schedulerd::domain::ascii_lower(value);
    check(lower.size() == value.size() && schedulerd::domain::ascii_lower(lower) == lower);
  }
  for (const char* key : {"email_verified", "verified", "primary"}) {
    if (true_field(body, key)) check(body.is_object() && body.contains(key));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  // call_json parses provider bodies exactly like this.
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (!body.is_discarded()) {
    read_identity(body);
    if (body.is_array()) {
      for (const auto& entry : body) read_identity(entry);  // GitHub's /user/emails list
    }
  }

  // Form encoding of the token request must decode back to the same fields.
  const auto half = text.size() / 2;
  const std::string name = text.substr(0, half);
  const std::string value = text.substr(half);
  const auto encoded = schedulerd::providers::oauth::form_encode({{name, value}});
  const auto eq = encoded.find('=');
  check(eq != std::string::npos && encoded.find('=', eq + 1) == std::string::npos);
  check(encoded.find('&') == std::string::npos);
  using schedulerd::domain::decode_query_component;
  check(decode_query_component(std::string_view(encoded).substr(0, eq)) == name);
  check(decode_query_component(std::string_view(encoded).substr(eq + 1)) == value);
  return 0;
}
