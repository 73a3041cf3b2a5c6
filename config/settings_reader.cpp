#include "config/settings_reader.hpp"

#include "config/urls.hpp"
#include "domain/ascii_text.hpp"

#include <charconv>
#include <cmath>

namespace schedulerd::config {

using domain::trim;

const std::string* settings_reader::find(const std::string& name) const {
  const auto found = values_.find(name);
  return found == values_.end() ? nullptr : &found->second;
}

void settings_reader::text(const std::string& name, std::string& out) const {
  if (const auto* value = find(name)) out = *value;
}

void settings_reader::url(const std::string& name, std::string& out) {
  const auto* value = find(name);
  if (!value) return;
  if (!is_http_url(*value)) return fail(name, "must be an http:// or https:// URL");
  out = *value;
  // Callers append paths (`base + "/contacts"`); a trailing slash would double it.
  while (out.back() == '/') out.pop_back();
}

void settings_reader::checked(const std::string& name, bool (*valid)(std::string_view),
                              std::string_view message, std::string& out) {
  const auto* value = find(name);
  if (!value) return;
  if (!valid(*value)) return fail(name, message);
  out = *value;
}

void settings_reader::list(const std::string& name, bool (*valid)(std::string_view),
                           std::string_view message, std::vector<std::string>& out) {
  const auto* value = find(name);
  if (!value) return;
  std::vector<std::string> items;
  std::string_view rest = *value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (item.empty()) continue;
    if (!valid(item)) return fail(name, message);
    items.emplace_back(item);
  }
  out = std::move(items);
}

void settings_reader::positive_number(const std::string& name, double& out) {
  const auto* value = find(name);
  if (!value) return;
  double number = 0;
  const auto* end = value->data() + value->size();
  const auto [stop, error] = std::from_chars(value->data(), end, number);
  if (error != std::errc{} || stop != end || !std::isfinite(number) || number <= 0) {
    return fail(name, "must be a number greater than 0");
  }
  out = number;
}

void settings_reader::fail(const std::string& name, std::string_view message) {
  if (!error_) error_ = config_error{name, std::string(message)};
}

bool settings_reader::read_integer(const std::string& name, std::int64_t min, std::int64_t max,
                                   std::int64_t& out) {
  const auto* value = find(name);
  if (!value) return false;
  std::int64_t number = 0;
  const auto* end = value->data() + value->size();
  const auto [stop, error] = std::from_chars(value->data(), end, number);
  if (error != std::errc{} || stop != end || number < min || number > max) {
    fail(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  out = number;
  return true;
}

}  // namespace schedulerd::config
