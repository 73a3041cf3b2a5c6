#include "http/router.hpp"

#include "domain/url_decoding.hpp"

#include <algorithm>

namespace schedulerd::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    path.remove_prefix(end == std::string_view::npos ? path.size() : end);
  }
  return segments;
}

bool is_placeholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern`, filling `params` with the placeholders' decoded values.
bool match_pattern(std::string_view pattern, const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>& params) {
  auto expected = split_path(pattern);
  if (expected.size() != path.size()) {
    return false;
  }
  std::map<std::string, std::string> captured;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (is_placeholder(expected[i])) {
      // A segment with a broken escape names no resource: it matches nothing (404).
      auto value = domain::decode_path_segment(path[i]);
      if (path[i].empty() || !value) {
        return false;
      }
      captured.emplace(std::string{expected[i].substr(1, expected[i].size() - 2)},
                       std::move(*value));
    } else if (expected[i] != path[i]) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

}  // namespace

void router::add(std::string method, std::string pattern, handler_actor target,
                 route_options options) {
  routes_.push_back(route{std::move(method), std::move(pattern), std::move(target), options});
}

route_match router::find(std::string_view method, std::string_view path) const {
  route_match result;
  auto segments = split_path(path);
  // HEAD is GET without the body (RFC 9110, 9.3.2): a GET route answers it unless HEAD has its own.
  const route* get_route = nullptr;
  std::map<std::string, std::string> get_params;
  for (const auto& candidate : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(candidate.pattern, segments, params)) {
      continue;
    }
    if (candidate.method == method) {
      result.matched = &candidate;
      result.params = std::move(params);
      result.allowed_methods.clear();
      return result;
    }
    if (method == "HEAD" && candidate.method == "GET" && get_route == nullptr) {
      get_route = &candidate;
      get_params = std::move(params);
    }
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), candidate.method) ==
        result.allowed_methods.end()) {
      result.allowed_methods.push_back(candidate.method);
    }
  }
  if (get_route != nullptr) {
    result.matched = get_route;
    result.params = std::move(get_params);
    result.allowed_methods.clear();
  }
  return result;
}

std::size_t router::largest_body_limit() const noexcept {
  if (routes_.empty()) {
    return route_options{}.body_limit;
  }
  std::size_t largest = 0;
  for (const auto& candidate : routes_) {
    largest = std::max(largest, candidate.options.body_limit);
  }
  return largest;
}

}  // namespace schedulerd::http
