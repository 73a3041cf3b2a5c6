#include "providers/credential_codec.hpp"

#include "domain/utf8.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::providers {

namespace {

// Values shorter than this show no characters at all: four of eight would give half away.
constexpr std::size_t shortest_revealed = 12;
constexpr std::size_t revealed = 4;
constexpr std::string_view mask_prefix = "\u2022\u2022\u2022\u2022";

std::string context_of(std::int64_t provider_id) {
  return "provider:" + std::to_string(provider_id);
}

}  // namespace

std::string seal_credentials(const domain::credential_cipher& cipher, std::int64_t provider_id,
                             const domain::field_values& credentials) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : credentials) {
    object[name] = value;
  }
  return cipher.seal(object.dump(), context_of(provider_id));
}

std::optional<domain::field_values> open_credentials(const domain::credential_cipher& cipher,
                                                     std::int64_t provider_id,
                                                     std::string_view sealed) {
  auto plain = cipher.open(sealed, context_of(provider_id));
  if (!plain) {
    return std::nullopt;
  }
  auto object = nlohmann::json::parse(*plain, nullptr, false);
  if (!object.is_object()) {
    return std::nullopt;
  }
  domain::field_values credentials;
  for (const auto& [name, value] : object.items()) {
    if (!value.is_string()) {
      return std::nullopt;
    }
    credentials.emplace(name, value.get<std::string>());
  }
  return credentials;
}

std::string mask_secret(std::string_view value) {
  std::string masked{mask_prefix};
  const std::size_t length = domain::code_points(value);
  if (length >= shortest_revealed) {
    // Skip to the start of the last four code points, so no sequence is split.
    std::size_t at = 0;
    for (std::size_t skipped = 0; skipped < length - revealed; ++skipped) {
      at += domain::read_code_point(value, at).length;
    }
    masked += value.substr(at);
  }
  return masked;
}

domain::field_values mask_credentials(const provider_type_info& info,
                                      const domain::field_values& credentials) {
  domain::field_values hint;
  for (const auto& field : info.credential_fields) {
    if (auto found = credentials.find(field.name); found != credentials.end()) {
      hint.emplace(field.name, mask_secret(found->second));
    }
  }
  return hint;
}

}  // namespace schedulerd::providers
