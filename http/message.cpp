#include "http/message.hpp"

#include "domain/url_decoding.hpp"

#include <algorithm>

namespace schedulerd::http {

std::optional<std::string_view> request::header(std::string_view name) const {
  return domain::find_header(headers, name);
}

std::optional<std::string> request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto end = rest.find('&');
    auto pair = rest.substr(0, end);
    auto eq = pair.find('=');
    // A pair with a broken escape is no parameter at all: guessing its value could mislead.
    if (domain::decode_query_component(pair.substr(0, eq)) == name) {
      if (eq == std::string_view::npos) {
        return std::string{};
      }
      return domain::decode_query_component(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

const std::string& request::param(const std::string& name) const {
  static const std::string empty;
  auto it = path_params.find(name);
  return it == path_params.end() ? empty : it->second;
}

response& response::set_header(std::string name, std::string value) {
  auto it = std::find_if(headers.begin(), headers.end(),
                         [&name](const auto& header) { return header.first == name; });
  if (it == headers.end()) {
    headers.emplace_back(std::move(name), std::move(value));
  } else {
    it->second = std::move(value);
  }
  return *this;
}

std::optional<std::string_view> response::header(std::string_view name) const {
  return domain::find_header(headers, name);
}

}  // namespace schedulerd::http
