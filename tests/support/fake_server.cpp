#include "tests/support/fake_server.hpp"

#include "domain/ascii_text.hpp"
#include "domain/url_decoding.hpp"
#include "http/status.hpp"

#include <nlohmann/json.hpp>
#include <restinio/all.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace schedulerd::testing {

namespace {

using server_traits = restinio::default_traits_t;
namespace asio = restinio::asio_ns;

// One thread: RESTinio 0.6.16 re-arms accepts and closes the acceptor on two different strands,
// so with a pool, stopping the server races with accepting (TSan sees it). Latency is served by
// timers, so one thread never waits on a slow answer.
constexpr std::size_t server_threads = 1;

struct route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  fake_server::handler handle;
};

// "/a/b" -> {"a", "b"}; empty segments are kept so that "/a/" and "/a" stay different routes.
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  for (;;) {
    auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

bool matches(const route& r, const http::request& request, const std::vector<std::string>& path,
             std::map<std::string, std::string>& params) {
  if ((r.method != "*" && r.method != request.method) || r.segments.size() != path.size()) {
    return false;
  }
  std::map<std::string, std::string> captured;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& pattern = r.segments[i];
    const bool colon = pattern.size() > 1 && pattern.front() == ':';
    if (colon || (pattern.size() > 2 && pattern.front() == '{' && pattern.back() == '}')) {
      auto value = domain::decode_path_segment(path[i]);
      if (!value) {
        return false;
      }
      captured[colon ? pattern.substr(1) : pattern.substr(1, pattern.size() - 2)] =
          std::move(*value);
    } else if (pattern != path[i]) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

std::string to_string(restinio::string_view_t text) {
  return text.empty() ? std::string{} : std::string(text.data(), text.size());
}

http::request to_message(const restinio::request_t& req) {
  http::request out;
  const auto& header = req.header();
  out.method = header.method().c_str();
  out.path = to_string(header.path());
  out.query = to_string(header.query());
  header.for_each_field([&out](const restinio::http_header_field_t& field) {
    out.headers.emplace_back(domain::ascii_lower(field.name()), field.value());
  });
  out.body = req.body();
  out.client_address = req.remote_endpoint().address().to_string();
  return out;
}

http::response json_error(int status, const nlohmann::json& body) {
  http::response response;
  response.status = status;
  response.set_header("content-type", "application/json");
  response.body = body.dump();
  return response;
}

// Called from a server thread or a timer; an exception here would unwind into asio's run loop.
void write_response(restinio::request_t& req, const http::response& response) noexcept {
  try {
    auto builder = req.create_response(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
        std::string{http::reason_phrase(response.status)}});
    for (const auto& [name, value] : response.headers) {
      const std::string key = domain::ascii_lower(name);
      if (key == "content-length") {
        continue;  // RESTinio computes it from the body it actually sends.
      }
      if (key == "connection" && domain::ascii_lower(value) == "close") {
        builder.connection_close();
        continue;
      }
      builder.append_header(name, value);
    }
    if (req.header().method() != restinio::http_method_head()) {
      builder.set_body(response.body);
    }
    builder.done();
  } catch (...) {
    // The client sees the connection drop, which is the closest thing to a broken server.
  }
}

}  // namespace

struct fake_server::impl {
  asio::io_context io;
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::vector<route> routes;
  std::vector<http::request> received;
  std::set<restinio::connection_id_t> connections;  // that the received requests came on
  bool recording = true;
  std::chrono::milliseconds latency{0};
  // (method, path prefix, delay), from set_latency_of.
  std::vector<std::tuple<std::string, std::string, std::chrono::milliseconds>> latencies_of;
  std::uint16_t port = 0;
  restinio::running_server_handle_t<server_traits> server;

  // Called with `mutex` held.
  std::chrono::milliseconds latency_for(const http::request& request) const {
    auto delay = latency;
    for (const auto& [method, prefix, of] : latencies_of) {
      if (request.method == method && request.path.rfind(prefix, 0) == 0) delay = of;
    }
    return delay;
  }

  http::response answer(http::request request) {
    const auto path = split_path(request.path);
    handler chosen;
    std::string pattern;
    std::map<std::string, std::string> params;
    {
      std::lock_guard lock{mutex};
      auto it = std::find_if(routes.rbegin(), routes.rend(),
                             [&](const route& r) { return matches(r, request, path, params); });
      if (it != routes.rend()) {
        chosen = it->handle;
        pattern = it->pattern;
      }
    }
    if (!chosen) {
      return json_error(
          404, {{"error", "no route"}, {"method", request.method}, {"path", request.path}});
    }
    try {
      request.route = std::move(pattern);
      request.path_params = std::move(params);
      return chosen(request);
    } catch (const std::exception& e) {
      return json_error(500, {{"error", "handler threw"}, {"message", e.what()}});
    }
  }

  restinio::request_handling_status_t accept(const restinio::request_handle_t& req) {
    http::request request = to_message(*req);
    std::chrono::milliseconds delay{0};
    bool recorded = false;
    {
      std::lock_guard lock{mutex};
      if (recording) {
        received.push_back(request);
        connections.insert(req->connection_id());
        recorded = true;
      }
      delay = latency_for(request);
    }
    if (recorded) arrived.notify_all();
    http::response response = answer(std::move(request));
    if (delay.count() <= 0) {
      write_response(*req, response);
      return restinio::request_accepted();
    }
    // A timer rather than a sleep: a slow answer must not hold the server thread.
    auto timer = std::make_shared<asio::steady_timer>(io, delay);
    timer->async_wait([timer, req, response = std::move(response)](const asio::error_code& error) {
      if (!error) {
        write_response(*req, response);
      }
    });
    return restinio::request_accepted();
  }
};

fake_server::fake_server() : impl_(std::make_unique<impl>()) {
  impl* self = impl_.get();
  impl_->server = restinio::run_async<server_traits>(
      restinio::external_io_context(impl_->io),
      restinio::server_settings_t<server_traits>{}
          .address("127.0.0.1")
          .port(0)
          .handle_request_timeout(std::chrono::seconds(60))
          .acceptor_post_bind_hook([self](asio::ip::tcp::acceptor& acceptor) {
            self->port = acceptor.local_endpoint().port();
          })
          .request_handler(
              [self](const restinio::request_handle_t& req) { return self->accept(req); }),
      server_threads);
}

fake_server::~fake_server() {
  impl_->server->stop();
  impl_->server->wait();
  // Delayed answers still queued on `io` die with it, after the server they point into.
  impl_->server.reset();
}

void fake_server::on(std::string method, const std::string& path, handler h) {
  std::lock_guard lock{impl_->mutex};
  impl_->routes.push_back(route{std::move(method), path, split_path(path), std::move(h)});
}

void fake_server::set_latency(std::chrono::milliseconds delay) {
  std::lock_guard lock{impl_->mutex};
  impl_->latency = delay;
}

void fake_server::set_latency_of(std::string method, std::string path_prefix,
                                 std::chrono::milliseconds delay) {
  std::lock_guard lock{impl_->mutex};
  impl_->latencies_of.emplace_back(std::move(method), std::move(path_prefix), delay);
}

std::uint16_t fake_server::port() const {
  return impl_->port;
}

std::string fake_server::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<http::request> fake_server::requests() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->received;
}

std::size_t fake_server::count(const std::string& path) const {
  std::lock_guard lock{impl_->mutex};
  return static_cast<std::size_t>(
      std::count_if(impl_->received.begin(), impl_->received.end(),
                    [&path](const http::request& request) { return request.path == path; }));
}

bool fake_server::wait_for(const std::string& path, std::size_t n,
                           std::chrono::milliseconds timeout) const {
  std::unique_lock lock{impl_->mutex};
  return impl_->arrived.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(std::count_if(
               impl_->received.begin(), impl_->received.end(),
               [&path](const http::request& request) { return request.path == path; })) >= n;
  });
}

std::size_t fake_server::connections() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->connections.size();
}

void fake_server::clear_requests() {
  std::lock_guard lock{impl_->mutex};
  impl_->received.clear();
  impl_->connections.clear();
}

void fake_server::set_recording(bool on) {
  std::lock_guard lock{impl_->mutex};
  impl_->recording = on;
}

http::response fake_server::answer(http::request request) const {
  return impl_->answer(std::move(request));
}

std::chrono::milliseconds fake_server::latency_for(const http::request& request) const {
  std::lock_guard lock{impl_->mutex};
  return impl_->latency_for(request);
}

}  // namespace schedulerd::testing
