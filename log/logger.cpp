#include "log/logger.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace schedulerd::log {

namespace {

const char* level_name(level severity) {
  switch (severity) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "info";
}

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  // Neither call can fail: the formats have a fixed length well inside the buffers.
  std::array<char, 32> buffer{};
  static_cast<void>(std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%S", &parts));
  std::array<char, 40> out{};
  static_cast<void>(
      std::snprintf(out.data(), out.size(), "%s.%03dZ", buffer.data(), static_cast<int>(millis)));
  return out.data();
}

nlohmann::json to_json(const field::second_type& value) {
  return std::visit([](const auto& x) { return nlohmann::json(x); }, value);
}

}  // namespace

logger::logger(level min_level, format style, std::FILE* out)
    : min_level_(min_level), style_(style), out_(out) {}

void logger::write(level severity, std::string_view event, std::initializer_list<field> fields) {
  if (!enabled(severity)) {
    return;
  }
  std::string line;
  if (style_ == format::json) {
    nlohmann::json object{{"ts", utc_now()}, {"level", level_name(severity)}, {"event", event}};
    for (const auto& [key, value] : fields) {
      object[std::string{key}] = to_json(value);
    }
    line = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    // Appends, not an operator+ chain: GCC 12 at -O2 reports a bogus -Wrestrict inside the
    // inlined std::string concatenation (GCC bug 105651).
    line.append(utc_now()).append(" ").append(level_name(severity)).append(" ").append(event);
    for (const auto& [key, value] : fields) {
      line.append(" ").append(key).append("=").append(
          to_json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  line.push_back('\n');
  std::lock_guard<std::mutex> guard{mutex_};
  // A log line that cannot be written has nowhere better to be reported.
  static_cast<void>(std::fwrite(line.data(), 1, line.size(), out_));
  static_cast<void>(std::fflush(out_));
}

bool parse_level(std::string_view text, level& out) {
  static constexpr std::array<std::pair<std::string_view, level>, 4> names{
      {{"debug", level::debug},
       {"info", level::info},
       {"warn", level::warn},
       {"error", level::error}}};
  for (const auto& [name, value] : names) {
    if (text == name) {
      out = value;
      return true;
    }
  }
  return false;
}

bool parse_format(std::string_view text, format& out) {
  if (text == "text") {
    out = format::text;
    return true;
  }
  if (text == "json") {
    out = format::json;
    return true;
  }
  return false;
}

}  // namespace schedulerd::log
