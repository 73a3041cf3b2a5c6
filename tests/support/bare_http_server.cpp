#include "tests/support/bare_http_server.hpp"

#include "domain/ascii_text.hpp"
#include "http/status.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace schedulerd::testing {

namespace {

using steady = std::chrono::steady_clock;

// A request head longer than this is refused, as fake_server's parser would.
constexpr std::size_t max_head_bytes = std::size_t{64} * 1024;
constexpr int max_events = 64;
constexpr std::size_t read_chunk = std::size_t{16} * 1024;

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// What a request's head turned out to be.
enum class parsed { request, malformed, chunked };

// The head of one request, read before its body has arrived.
struct request_head {
  http::request request;
  std::size_t head_bytes = 0;
  std::size_t body_bytes = 0;
  bool close = false;
  bool expects_continue = false;
};

// Reads a request line and its headers (`head`, without the blank line that ends them).
parsed parse_head(std::string_view head, request_head& out) {
  const auto line_end = head.find("\r\n");
  const auto line = head.substr(0, line_end);
  const auto first_space = line.find(' ');
  const auto last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || last_space == first_space) return parsed::malformed;
  const auto version = line.substr(last_space + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return parsed::malformed;
  auto& request = out.request;
  request.method = std::string{line.substr(0, first_space)};
  const auto target = line.substr(first_space + 1, last_space - first_space - 1);
  const auto question = target.find('?');
  request.path = std::string{target.substr(0, question)};
  if (question != std::string_view::npos) request.query = std::string{target.substr(question + 1)};
  request.client_address = "127.0.0.1";
  out.close = version == "HTTP/1.0";

  auto rest = line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const auto field = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    const auto colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return parsed::malformed;
    auto name = domain::ascii_lower(field.substr(0, colon));
    const auto value = domain::trim(field.substr(colon + 1));
    if (name == "content-length") {
      const auto [end_of_number, error] =
          std::from_chars(value.data(), value.data() + value.size(), out.body_bytes);
      if (error != std::errc{} || end_of_number != value.data() + value.size()) {
        return parsed::malformed;
      }
    } else if (name == "transfer-encoding") {
      return parsed::chunked;
    } else if (name == "connection") {
      const auto option = domain::ascii_lower(value);
      if (option == "close") out.close = true;
      if (option == "keep-alive") out.close = false;
    } else if (name == "expect") {
      out.expects_continue = domain::ascii_lower(value) == "100-continue";
    }
    request.headers.emplace_back(std::move(name), std::string{value});
  }
  return parsed::request;
}

// The bytes of `response` to `method`; sets `close` when the answer ends the connection.
std::string serialize(const std::string& method, const http::response& response, bool& close) {
  std::string out = "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += http::reason_phrase(response.status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    const auto key = domain::ascii_lower(name);
    if (key == "content-length") continue;  // computed from the body below
    if (key == "connection") {              // written once below
      if (domain::ascii_lower(value) == "close") close = true;
      continue;
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (close) out += "Connection: close\r\n";
  out += "Content-Length: ";
  out += std::to_string(response.body.size());
  out += "\r\n\r\n";
  if (method != "HEAD") out += response.body;
  return out;
}

// An answer held back for its delay; answers leave a connection in the order of its requests.
struct held_answer {
  steady::time_point due;
  std::string bytes;
};

struct connection {
  int fd = -1;
  std::uint64_t id = 0;
  std::string input;
  std::string output;
  std::deque<held_answer> held;
  std::optional<request_head> head;  // of the request whose body is still arriving
  bool continued = false;            // "100 Continue" sent for that request
  bool closing = false;              // close once the output is written
  bool shut = false;                 // output ended (FIN sent); input is read and dropped
  bool writable_wanted = false;
};

}  // namespace

struct bare_http_server::impl {
  handler answer;
  delay_of delay;
  int listener = -1;
  int poller = -1;
  int wake = -1;
  std::uint16_t port = 0;
  std::uint64_t next_id = 1;
  std::unordered_map<int, connection> connections;
  // (due, fd, connection id): when a connection's held answers may be due.
  using timer = std::tuple<steady::time_point, int, std::uint64_t>;
  std::priority_queue<timer, std::vector<timer>, std::greater<>> timers;
  std::thread thread;
  std::vector<char> read_buffer = std::vector<char>(read_chunk);

  impl(handler a, delay_of d) : answer(std::move(a)), delay(std::move(d)) {}

  void open() {
    listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) throw_errno("socket");
    const int yes = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API's own cast
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    if (::bind(listener, generic, sizeof address) != 0) throw_errno("bind");
    if (::listen(listener, SOMAXCONN) != 0) throw_errno("listen");
    socklen_t length = sizeof address;
    if (::getsockname(listener, generic, &length) != 0) throw_errno("getsockname");
    port = ntohs(address.sin_port);
    poller = ::epoll_create1(EPOLL_CLOEXEC);
    if (poller < 0) throw_errno("epoll_create1");
    wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake < 0) throw_errno("eventfd");
    watch(listener, EPOLLIN, EPOLL_CTL_ADD);
    watch(wake, EPOLLIN, EPOLL_CTL_ADD);
  }

  void close_all() {
    for (auto& [fd, conn] : connections) ::close(fd);
    connections.clear();
    for (const int fd : {listener, poller, wake}) {
      if (fd >= 0) ::close(fd);
    }
  }

  void watch(int fd, std::uint32_t events, int operation) const {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    ::epoll_ctl(poller, operation, fd, &event);
  }

  void run() {
    std::array<epoll_event, max_events> events{};
    for (;;) {
      const int ready = ::epoll_wait(poller, events.data(), max_events, timeout_ms());
      for (int i = 0; i < ready; ++i) {
        const auto& event = events.at(static_cast<std::size_t>(i));
        const int fd = event.data.fd;
        if (fd == wake) return;
        if (fd == listener) {
          accept_all();
        } else {
          serve(fd, event.events);
        }
      }
      release_due_answers();
    }
  }

  // Milliseconds until the next held answer is due (rounded up), or -1 to wait for input only.
  int timeout_ms() const {
    if (timers.empty()) return -1;
    const auto left = std::get<0>(timers.top()) - steady::now();
    if (left <= steady::duration::zero()) return 0;
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
  }

  void accept_all() {
    for (;;) {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or a transient error the next readiness retries
      const int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      auto& conn = connections[fd];
      conn.fd = fd;
      conn.id = next_id++;
      watch(fd, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD);
    }
  }

  void serve(int fd, std::uint32_t events) {
    const auto found = connections.find(fd);
    if (found == connections.end()) return;
    auto& conn = found->second;
    if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
      drop(fd);
      return;
    }
    bool peer_closed = false;
    if ((events & (EPOLLIN | EPOLLRDHUP)) != 0) {
      for (;;) {
        const auto got = ::recv(fd, read_buffer.data(), read_buffer.size(), 0);
        if (got > 0) {
          conn.input.append(read_buffer.data(), static_cast<std::size_t>(got));
          // A short read emptied the socket: epoll reports more, which spares a recv per request.
          if (static_cast<std::size_t>(got) < read_buffer.size()) break;
        } else if (got < 0 && errno == EINTR) {
          continue;
        } else {
          peer_closed = got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
          break;
        }
      }
      if (conn.shut) conn.input.clear();
      handle_input(conn);
    }
    // A client that stopped sending gets the answers ready now; held ones are dropped with it.
    if (flush(conn) && peer_closed) drop(fd);
  }

  // Answers every whole request at the front of the connection's input.
  void handle_input(connection& conn) {
    while (!conn.closing) {
      if (!conn.head) {
        const auto head_end = conn.input.find("\r\n\r\n");
        if (head_end == std::string::npos) {
          if (conn.input.size() > max_head_bytes) refuse(conn, 431);
          return;
        }
        request_head head;
        const auto result = parse_head(std::string_view{conn.input}.substr(0, head_end), head);
        if (result != parsed::request) {
          refuse(conn, result == parsed::chunked ? 411 : 400);
          return;
        }
        head.head_bytes = head_end + 4;
        conn.head = std::move(head);
        conn.continued = false;
      }
      auto& head = *conn.head;
      if (conn.input.size() < head.head_bytes + head.body_bytes) {
        if (head.expects_continue && !conn.continued) {
          conn.output += "HTTP/1.1 100 Continue\r\n\r\n";
          conn.continued = true;
        }
        return;
      }
      head.request.body = conn.input.substr(head.head_bytes, head.body_bytes);
      conn.input.erase(0, head.head_bytes + head.body_bytes);
      auto request = std::move(head.request);
      const bool close = head.close;
      conn.head.reset();
      respond(conn, request, close);
    }
  }

  void respond(connection& conn, const http::request& request, bool close) {
    http::response response;
    std::chrono::milliseconds hold{0};
    try {
      hold = delay(request);
      response = answer(request);
    } catch (const std::exception&) {
      response.status = 500;
      response.body = R"({"error":"handler threw"})";
      response.set_header("content-type", "application/json");
    }
    held_answer out{steady::now() + hold, serialize(request.method, response, close)};
    if (close) conn.closing = true;
    if (hold.count() <= 0 && conn.held.empty()) {
      conn.output += out.bytes;
      return;
    }
    timers.emplace(out.due, conn.fd, conn.id);
    conn.held.push_back(std::move(out));
  }

  // Answers a request the server cannot read and closes the connection after it.
  static void refuse(connection& conn, int status) {
    http::response response;
    response.status = status;
    bool close = true;
    conn.output += serialize("GET", response, close);
    conn.closing = true;
    conn.input.clear();
  }

  void release_due_answers() {
    const auto now = steady::now();
    while (!timers.empty() && std::get<0>(timers.top()) <= now) {
      const auto [due, fd, id] = timers.top();
      timers.pop();
      const auto found = connections.find(fd);
      if (found == connections.end() || found->second.id != id) continue;
      auto& conn = found->second;
      while (!conn.held.empty() && conn.held.front().due <= now) {
        conn.output += conn.held.front().bytes;
        conn.held.pop_front();
      }
      static_cast<void>(flush(conn));
    }
  }

  // Writes what the socket takes now and watches for room when some is left; once the last
  // answer is out, ends the output of a closing connection. False when the peer was gone and the
  // connection was dropped.
  bool flush(connection& conn) {
    while (!conn.output.empty()) {
      const auto sent = ::send(conn.fd, conn.output.data(), conn.output.size(), MSG_NOSIGNAL);
      if (sent > 0) {
        conn.output.erase(0, static_cast<std::size_t>(sent));
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        drop(conn.fd);
        return false;
      }
    }
    const bool want = !conn.output.empty();
    if (want != conn.writable_wanted) {
      conn.writable_wanted = want;
      watch(conn.fd, EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0U), EPOLL_CTL_MOD);
    }
    if (!want && conn.closing && conn.held.empty() && !conn.shut) {
      // A lingering close, as web servers do: closing with unread input would reset the
      // connection, and the client could lose the last answer. The client closes its end next.
      ::shutdown(conn.fd, SHUT_WR);
      conn.shut = true;
    }
    return true;
  }

  void drop(int fd) {
    ::epoll_ctl(poller, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections.erase(fd);
  }
};

bare_http_server::bare_http_server(handler answer, delay_of delay)
    : impl_(std::make_unique<impl>(std::move(answer), std::move(delay))) {
  try {
    impl_->open();
  } catch (...) {
    impl_->close_all();
    throw;
  }
  impl_->thread = std::thread([self = impl_.get()] { self->run(); });
}

bare_http_server::~bare_http_server() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(impl_->wake, &one, sizeof one);
  impl_->thread.join();
  impl_->close_all();
}

std::uint16_t bare_http_server::port() const {
  return impl_->port;
}

std::string bare_http_server::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

}  // namespace schedulerd::testing
