#include "domain/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <string_view>

namespace schedulerd::domain {

namespace {

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// EVP_DecodeBlock skips surrounding whitespace and accepts '=' in odd places, so the text is
// checked here first: groups of four alphabet characters, with at most two '=' at the very end.
std::optional<std::size_t> padding_of(std::string_view text) {
  const std::size_t last = text.find_last_not_of('=');
  if (text.size() % 4 != 0 || last == std::string_view::npos) return std::nullopt;
  const std::size_t padding = text.size() - last - 1;
  const auto body = text.substr(0, last + 1);
  if (padding > 2 || !std::all_of(body.begin(), body.end(), is_base64_char)) return std::nullopt;
  return padding;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // +1: EVP_EncodeBlock adds a NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty()) return std::string{};
  const auto padding = padding_of(text);
  if (!padding) return std::nullopt;
  std::string out(3 * (text.size() / 4), '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the zero bytes that stand for '=' padding; drop them.
  out.resize(static_cast<std::size_t>(written) - *padding);
  // The last character before padding has spare bits the decoder ignores; only the canonical
  // text (spare bits zero) is accepted, so one value has exactly one spelling.
  if (base64_encode(out) != text) return std::nullopt;
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  auto out = base64_encode(bytes);
  out.erase(out.find_last_not_of('=') + 1);
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // The standard alphabet's '+' and '/' (and '=') are foreign here; swap the URL alphabet in and
  // let the strict standard decoder judge the rest.
  if (text.find_first_of("+/=") != std::string_view::npos || text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string standard{text};
  std::replace(standard.begin(), standard.end(), '-', '+');
  std::replace(standard.begin(), standard.end(), '_', '/');
  standard.append((4 - standard.size() % 4) % 4, '=');
  return base64_decode(standard);
}

}  // namespace schedulerd::domain
