#include "http/server.hpp"

#include "domain/ascii_text.hpp"
#include "http/edge.hpp"
#include "http/status.hpp"

#include <restinio/all.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>

namespace schedulerd::http {

namespace {

struct server_traits : restinio::default_traits_t {
  using request_handler_t =
      std::function<restinio::request_handling_status_t(restinio::request_handle_t)>;
};

request to_request(const restinio::request_t& in) {
  request out;
  const auto& head = in.header();
  out.method = head.method().c_str();
  out.path = std::string{head.path()};
  out.query = std::string{head.query()};
  head.for_each_field([&out](const restinio::http_header_field_t& field) {
    out.headers.emplace_back(domain::ascii_lower(field.name()), field.value());
  });
  out.body = in.body();
  out.client_address = in.remote_endpoint().address().to_string();
  return out;
}

void send(const restinio::request_handle_t& req, const response& res) {
  auto status = restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)},
      std::string{reason_phrase(res.status)}};
  auto builder = req->create_response(std::move(status));
  for (const auto& [name, value] : res.headers) {
    builder.append_header(name, value);
  }
  builder.set_body(res.body);
  builder.done();
}

}  // namespace

struct server::impl {
  std::atomic<std::uint16_t> bound_port{0};
  bool stopped = false;
  restinio::running_server_handle_t<server_traits> running;
};

server::server(const server_settings& settings, edge& pipeline) : impl_(std::make_unique<impl>()) {
  auto handler = [&pipeline](const restinio::request_handle_t& req) {
    auto incoming = to_request(*req);
    // The response may come from any CAF thread; RESTinio posts the write to its own executor.
    pipeline.handle(std::move(incoming), [req](const response& res) { send(req, res); });
    return restinio::request_accepted();
  };
  auto* state = impl_.get();
  auto config =
      restinio::server_settings_t<server_traits>{}
          .address(settings.host)
          .port(settings.port)
          .request_handler(std::move(handler))
          .incoming_http_msg_limits(
              restinio::incoming_http_msg_limits_t{}.max_body_size(settings.max_body_bytes))
          .handle_request_timeout(std::chrono::seconds(60))
          .acceptor_post_bind_hook([state](restinio::asio_ns::ip::tcp::acceptor& acceptor) {
            state->bound_port = acceptor.local_endpoint().port();
          });
  impl_->running = restinio::run_async<server_traits>(restinio::own_io_context(), std::move(config),
                                                      settings.threads);
}

server::~server() {
  stop();
}

std::uint16_t server::port() const noexcept {
  return impl_->bound_port;
}

void server::stop() {
  if (impl_->running && !impl_->stopped) {
    impl_->stopped = true;
    impl_->running->stop();
    impl_->running->wait();
  }
}

}  // namespace schedulerd::http
