#include "tests/support/traffic_recorder.hpp"

#include "tests/support/http_test_client.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <set>

namespace schedulerd::testing::traffic_recorder {

namespace {

// The watched base URLs and the log file, shared by every thread of the test process.
struct recorder_state {
  // Read once: the test process's environment does not change while it runs.
  recorder_state() {
    if (const char* path = std::getenv("SCHEDULERD_TRAFFIC_LOG"); path != nullptr) {
      log_path = path;
    }
  }

  std::mutex mutex;
  std::set<std::string> watched;
  std::string log_path;
};

recorder_state& state() {
  static recorder_state instance;
  return instance;
}

// An open file descriptor, closed on every path out.
class append_file {
 public:
  explicit append_file(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) {}
  append_file(const append_file&) = delete;
  append_file& operator=(const append_file&) = delete;
  ~append_file() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  // Writes `text` with as few write(2) calls as the kernel allows: with O_APPEND, one call per
  // line keeps lines whole even when several test processes append to the same file.
  void write_all(std::string_view text) const {
    while (fd_ >= 0 && !text.empty()) {
      auto written = ::write(fd_, text.data(), text.size());
      if (written < 0 && errno == EINTR) {
        continue;
      }
      if (written <= 0) {
        return;  // a lost line shows up as a missing exchange, never as a failed test
      }
      text.remove_prefix(static_cast<std::size_t>(written));
    }
  }

 private:
  int fd_;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

nlohmann::json headers_json(const http::header_list& headers) {
  auto out = nlohmann::json::object();
  for (const auto& [name, value] : headers) {
    auto key = lower(name);
    auto& slot = out[key];
    slot = slot.is_string() ? slot.get<std::string>() + ", " + value : value;
  }
  return out;
}

// The path and query of `url` when it lies below one of `watched`.
std::optional<std::string> watched_target(const std::set<std::string>& watched,
                                          const std::string& url) {
  for (const auto& base : watched) {
    if (url.compare(0, base.size(), base) != 0) {
      continue;
    }
    auto rest = url.substr(base.size());
    if (rest.empty()) {
      return "/";
    }
    if (rest.front() == '/') {
      return rest;
    }
    if (rest.front() == '?') {
      return "/" + rest;
    }
  }
  return std::nullopt;
}

void record(const providers::outbound_request& request, const providers::outbound_response& res) {
  if (!res.answered()) {
    return;  // a transport failure carries no status to check
  }
  auto& recorder = state();
  std::lock_guard<std::mutex> guard{recorder.mutex};
  auto target = watched_target(recorder.watched, request.url);
  if (!target) {
    return;
  }
  nlohmann::json line{{"method", request.method},
                      {"url", *target},
                      {"request_headers", headers_json(request.headers)},
                      {"request_body", request.body},
                      {"status", res.status},
                      {"response_headers", headers_json(res.headers)},
                      {"response_body", res.body}};
  // Bodies are bytes; invalid UTF-8 must not turn recording into an exception.
  append_file{recorder.log_path}.write_all(
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

}  // namespace

void watch(const std::string& base_url) {
  auto& recorder = state();
  if (recorder.log_path.empty()) {
    return;
  }
  {
    std::lock_guard<std::mutex> guard{recorder.mutex};
    recorder.watched.insert(without_trailing_slash(base_url));
  }
  observe_exchanges(&record);
}

void unwatch(const std::string& base_url) {
  auto& recorder = state();
  std::lock_guard<std::mutex> guard{recorder.mutex};
  recorder.watched.erase(without_trailing_slash(base_url));
}

}  // namespace schedulerd::testing::traffic_recorder
