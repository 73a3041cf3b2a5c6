#include "http/server.hpp"

#include "domain/ascii_text.hpp"
#include "http/connection_log.hpp"
#include "http/edge.hpp"
#include "http/status.hpp"
#include "http/stream_registry.hpp"

#include <restinio/all.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <optional>

namespace schedulerd::http {

namespace {

// The parser closes the connection (RESTinio 0.6 cannot answer from there) on a request target
// or header field over this; the edge answers 414 and 431 well below it.
constexpr std::size_t parser_text_limit = std::size_t{64} << 10U;

// The parser reads bodies up to this much over the largest route limit, so that a client a
// little over a limit still gets the edge's 413. It refuses a larger body as soon as its
// Content-Length (or, chunked, the bytes read) passes that, by closing the connection: RESTinio
// buffers every body whole, and would otherwise reserve whatever Content-Length claims.
constexpr std::size_t body_read_slack = std::size_t{1} << 20U;

// How long stopping waits for the last chunk of each open stream to go out.
constexpr std::chrono::milliseconds stream_end_grace{1000};

// One streamed response body: RESTinio's chunked writer, for as long as the client is there.
class chunk_stream final : public stream_sink,
                           public ending_stream,
                           public std::enable_shared_from_this<chunk_stream> {
 public:
  using builder = restinio::response_builder_t<restinio::chunked_output_t>;

  chunk_stream(builder out, std::weak_ptr<stream_registry> registry)
      : out_(std::move(out)), registry_(std::move(registry)) {}

  bool write(std::string chunk) override {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!out_) {
      return false;
    }
    try {
      out_->append_chunk(std::move(chunk));
      // A write that fails (the connection closed before its notice reached the registry) ends
      // the stream as well.
      out_->flush([weak = weak_from_this()](const restinio::asio_ns::error_code& failed) {
        if (auto self = weak.lock(); self && failed) {
          self->finish(false);
        }
      });
      return true;
    } catch (const std::exception&) {
      out_.reset();
      return false;
    }
  }

  void close() override { finish(true); }

  void end(bool polite, std::shared_ptr<std::promise<void>> written) noexcept override {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!out_) {
      return;
    }
    try {
      if (polite && written) {
        // A notificator dropped unrun (the server stopped first) breaks the promise, which
        // wakes the waiter too.
        out_->done(
            [written](const restinio::asio_ns::error_code& /*unused*/) { written->set_value(); });
      } else if (polite) {
        out_->done();
      }
    } catch (const std::exception&) {
      // The client goes without the last chunk; it sees the connection end instead.
    }
    // From here on nothing of this stream refers to RESTinio's connection.
    out_.reset();
  }

 private:
  // Ends the body and leaves the registry, which drops the body and so stops its producer.
  void finish(bool polite) {
    end(polite, nullptr);
    if (auto registry = registry_.lock()) {
      registry->remove(this);
    }
  }

  std::mutex mutex_;
  std::optional<builder> out_;
  std::weak_ptr<stream_registry> registry_;
};

// RESTinio's connection state listener: keeps the connection log's list of clients current and
// ends the streams of a connection that closed.
class connection_listener {
 public:
  connection_listener(std::shared_ptr<connection_log> log, std::shared_ptr<stream_registry> streams)
      : log_(std::move(log)), streams_(std::move(streams)) {}

  void state_changed(const restinio::connection_state::notice_t& notice) noexcept {
    try {
      if (restinio::holds_alternative<restinio::connection_state::accepted_t>(notice.cause())) {
        log_->opened(notice.connection_id(), notice.remote_endpoint().address().to_string());
      } else {
        streams_->connection_closed(notice.connection_id());
        log_->closed(notice.connection_id());
      }
    } catch (const std::exception&) {
      // Only a client address for later log lines is lost; the connection is unaffected.
    }
  }

 private:
  std::shared_ptr<connection_log> log_;
  std::shared_ptr<stream_registry> streams_;
};

// RESTinio's logger: its warnings and errors (a request it cannot parse, hence closes without an
// answer; a write that failed) go to the connection log; its trace and info chatter is dropped
// unformatted.
class restinio_log {
 public:
  explicit restinio_log(std::shared_ptr<const connection_log> log) : log_(std::move(log)) {}

  template <class Builder>
  void trace(Builder&& /*unused*/) const noexcept {}

  template <class Builder>
  void info(Builder&& /*unused*/) const noexcept {}

  template <class Builder>
  void warn(Builder&& build) const noexcept {
    forward(build);
  }

  template <class Builder>
  void error(Builder&& build) const noexcept {
    forward(build);
  }

 private:
  template <class Builder>
  void forward(Builder& build) const noexcept {
    try {
      log_->library_problem(build());
    } catch (const std::exception&) {
      // A line that cannot be formatted or written cannot be reported either.
    }
  }

  std::shared_ptr<const connection_log> log_;
};

struct server_traits : restinio::default_traits_t {
  using request_handler_t =
      std::function<restinio::request_handling_status_t(restinio::request_handle_t)>;
  using logger_t = restinio_log;
  using connection_state_listener_t = connection_listener;
  static constexpr bool use_connection_count_limiter = true;
};

// An io_context that can destroy its pending handlers while the server owning its sockets still
// exists: RESTinio's connections point into its acceptor (the connection count), so a connection
// that outlived the acceptor, as idle keep-alive ones do in the io_context's destructor, would
// write to freed memory.
class server_io_context : public restinio::asio_ns::io_context {
 public:
  using restinio::asio_ns::execution_context::shutdown;
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

template <class Builder>
void add_headers(Builder& builder, const response& res) {
  for (const auto& [name, value] : res.headers) {
    builder.append_header(name, value);
  }
}

// Sends the headers at once, then hands the body's producer its sink. The handle timeout
// (handle_request_timeout) restarts with every chunk written, so a stream that writes more often
// than that is never cut.
void start_stream(const restinio::request_handle_t& req, restinio::http_status_line_t status,
                  const response& res, const std::shared_ptr<stream_registry>& streams) {
  auto builder = req->create_response<restinio::chunked_output_t>(std::move(status));
  add_headers(builder, res);
  if (!streams->begin()) {
    // The server is stopping: the headers and the end at once.
    builder.done();
    return;
  }
  try {
    builder.flush();
    auto sink = std::make_shared<chunk_stream>(std::move(builder), streams);
    res.stream->start(sink);
    streams->add(req->connection_id(), std::move(sink), res.stream);
  } catch (...) {
    streams->abandon();
    throw;
  }
}

void send(const restinio::request_handle_t& req, const response& res,
          const std::shared_ptr<stream_registry>& streams) {
  auto status = restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)},
      std::string{reason_phrase(res.status)}};
  if (res.stream && req->header().method() != restinio::http_method_head()) {
    start_stream(req, std::move(status), res, streams);
    return;
  }
  if (req->header().method() == restinio::http_method_head()) {
    // The headers GET would get, Content-Length included, and not one byte of body.
    auto builder = req->create_response<restinio::user_controlled_output_t>(std::move(status));
    add_headers(builder, res);
    builder.set_content_length(res.body.size());
    builder.done();
    return;
  }
  auto builder = req->create_response(std::move(status));
  add_headers(builder, res);
  builder.set_body(res.body);
  builder.done();
}

// Sends `res`, logging instead of throwing: it may run on an I/O thread, outside any handler.
void deliver(const restinio::request_handle_t& req, const response& res,
             const std::shared_ptr<stream_registry>& streams, log::logger& logger) noexcept {
  try {
    send(req, res, streams);
  } catch (const std::exception& ex) {
    logger.warn("http_reply_failed", {{"reason", std::string_view{ex.what()}}});
  }
}

// The edge's way back to the client of `req`. The answer may come from any CAF thread, and
// RESTinio posts the write to the connection's executor; but RESTinio 0.6 starts reading the next
// request twice when an answer is written before its handler returns (once for the return, once
// after the write), and the second read overflows its table of pipelined requests, which closes
// the connection and loses the answers to the requests behind. So an answer given while
// `in_handler` is set goes out through `io`, after the handler returned.
edge::reply_fn reply_to(const restinio::request_handle_t& req,
                        const std::shared_ptr<std::atomic<bool>>& in_handler, server_io_context& io,
                        const std::shared_ptr<const connection_log>& log,
                        const std::shared_ptr<stream_registry>& streams) {
  return [req, in_handler, &io, log, streams](response res) {
    if (in_handler->load()) {
      restinio::asio_ns::post(io, [req, log, streams, res = std::move(res)] {
        deliver(req, res, streams, log->logger());
      });
    } else {
      deliver(req, res, streams, log->logger());
    }
  };
}

}  // namespace

struct server::impl {
  // Declared first: it must outlive the server that runs on it.
  server_io_context io;
  std::atomic<std::uint16_t> bound_port{0};
  bool stopped = false;
  std::shared_ptr<stream_registry> streams = std::make_shared<stream_registry>();
  restinio::running_server_handle_t<server_traits> running;
};

server::server(const server_settings& settings, edge& pipeline) : impl_(std::make_unique<impl>()) {
  const parser_limits limits{parser_text_limit,
                             pipeline.routes().largest_body_limit() + body_read_slack};
  auto log = std::make_shared<connection_log>(pipeline.logger(), settings.max_connections, limits);
  auto handler = [&pipeline, io = &impl_->io, log,
                  streams = impl_->streams](const restinio::request_handle_t& req) {
    auto in_handler = std::make_shared<std::atomic<bool>>(true);
    pipeline.handle(to_request(*req), reply_to(req, in_handler, *io, log, streams));
    in_handler->store(false);
    return restinio::request_accepted();
  };
  auto* state = impl_.get();
  auto config =
      restinio::server_settings_t<server_traits>{}
          .address(settings.host)
          .port(settings.port)
          // cppcheck-suppress accessMoved ; false positive: moved once, here, and never read again
          .request_handler(std::move(handler))
          .logger(log)
          .connection_state_listener(std::make_shared<connection_listener>(log, impl_->streams))
          .max_parallel_connections(settings.max_connections)
          .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                        .max_url_size(limits.text_bytes)
                                        .max_field_name_size(limits.text_bytes)
                                        .max_field_value_size(limits.text_bytes)
                                        .max_body_size(limits.body_bytes))
          .handle_request_timeout(std::chrono::seconds(60))
          .acceptor_post_bind_hook([state](restinio::asio_ns::ip::tcp::acceptor& acceptor) {
            state->bound_port = acceptor.local_endpoint().port();
          });
  impl_->running = restinio::run_async<server_traits>(restinio::external_io_context(impl_->io),
                                                      std::move(config), settings.threads);
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
    // Streams never finish on their own: end them while their connections can still send the
    // last chunk.
    impl_->streams->stop_all(stream_end_grace);
    impl_->running->stop();
    impl_->running->wait();
    // Destroys what the threads left queued, idle connections included, while the acceptor they
    // point into still exists; answers that arrive later are dropped by the stopped executors.
    impl_->io.shutdown();
  }
}

}  // namespace schedulerd::http
