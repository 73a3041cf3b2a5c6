#include "tests/support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace schedulerd::testing {

namespace {

std::system_error os_error(const char* what) {
  return {errno, std::generic_category(), what};
}

// Owns one file descriptor.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) {
      reset(other.release());
    }
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { reset(); }

  [[nodiscard]] int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Closes with an RST instead of a FIN, the way a dropped link or a dead host looks to the peer.
void reset_connection(unique_fd& fd) {
  if (fd) {
    linger abort{1, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
    fd.reset();
  }
}

bool set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

void set_nodelay(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

// Connects (blocking: the target is on loopback, so it answers or refuses at once).
unique_fd connect_to(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) {
    return {};
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned{found, &::freeaddrinfo};
  for (auto* at = found; at != nullptr; at = at->ai_next) {
    unique_fd fd{::socket(at->ai_family, at->ai_socktype | SOCK_CLOEXEC, at->ai_protocol)};
    if (fd && ::connect(fd.get(), at->ai_addr, at->ai_addrlen) == 0 && set_nonblocking(fd.get())) {
      return fd;
    }
  }
  return {};
}

// Bytes read from one side and not yet written to the other.
struct half {
  std::string pending;
  bool eof = false;
  bool shut = false;
};

bool would_block() {
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

// Moves bytes one way; false when the connection broke.
bool pump(half& h, int from, int to, bool readable) {
  if (readable && h.pending.empty() && !h.eof) {
    std::array<char, std::size_t{64} * 1024> buffer{};
    auto n = ::recv(from, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      h.pending.assign(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0) {
      h.eof = true;
    } else if (!would_block()) {
      return false;
    }
  }
  while (!h.pending.empty()) {
    auto n = ::send(to, h.pending.data(), h.pending.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (would_block()) {
        break;
      }
      return false;
    }
    h.pending.erase(0, static_cast<std::size_t>(n));
  }
  if (h.eof && h.pending.empty() && !h.shut) {
    ::shutdown(to, SHUT_WR);
    h.shut = true;
  }
  return true;
}

struct link {
  unique_fd client;
  unique_fd upstream;
  half to_upstream;
  half to_client;

  [[nodiscard]] short events_of(bool is_client) const {
    const half& in = is_client ? to_upstream : to_client;
    const half& out = is_client ? to_client : to_upstream;
    short events = 0;
    if (in.pending.empty() && !in.eof) {
      events |= POLLIN;
    }
    if (!out.pending.empty()) {
      events |= POLLOUT;
    }
    return events;
  }
};

constexpr short readable_events = POLLIN | POLLHUP | POLLERR;

}  // namespace

struct tcp_proxy::impl {
  std::string target_host;
  std::uint16_t target_port = 0;
  unique_fd listener;
  std::uint16_t port = 0;
  unique_fd wake_read;
  unique_fd wake_write;

  std::mutex mutex;
  std::condition_variable applied;
  bool cut = false;
  bool stopping = false;
  bool finished = false;
  std::uint64_t requested_epoch = 0;
  std::uint64_t applied_epoch = 0;

  std::list<link> links;  // touched only by the thread
  std::thread worker;

  // Applies cut(), restore() and stop requests; returns false when the thread must end.
  bool apply_requests() {
    std::array<char, 64> drained{};
    while (::read(wake_read.get(), drained.data(), drained.size()) > 0) {
    }
    std::lock_guard<std::mutex> guard{mutex};
    if (cut) {
      for (auto& l : links) {
        reset_connection(l.client);
        reset_connection(l.upstream);
      }
      links.clear();
    }
    applied_epoch = requested_epoch;
    applied.notify_all();
    return !stopping;
  }

  void accept_one() {
    unique_fd client{::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)};
    if (!client) {
      return;
    }
    bool refuse = false;
    {
      std::lock_guard<std::mutex> guard{mutex};
      refuse = cut;
    }
    unique_fd upstream = refuse ? unique_fd{} : connect_to(target_host, target_port);
    if (!upstream) {
      reset_connection(client);
      return;
    }
    set_nodelay(client.get());
    set_nodelay(upstream.get());
    links.push_back(link{std::move(client), std::move(upstream), {}, {}});
  }

  // The loop, then a note that nobody will apply requests any more.
  void run() {
    forward();
    std::lock_guard<std::mutex> guard{mutex};
    finished = true;
    applied.notify_all();
  }

  void forward() {
    std::vector<pollfd> fds;
    while (true) {
      fds.clear();
      fds.push_back({wake_read.get(), POLLIN, 0});
      fds.push_back({listener.get(), POLLIN, 0});
      for (const auto& l : links) {
        // A negative fd is skipped by poll: nothing to wait for on that side right now.
        short client_events = l.events_of(true);
        short upstream_events = l.events_of(false);
        fds.push_back({client_events != 0 ? l.client.get() : -1, client_events, 0});
        fds.push_back({upstream_events != 0 ? l.upstream.get() : -1, upstream_events, 0});
      }
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
        return;
      }
      if ((fds[0].revents & POLLIN) != 0 && !apply_requests()) {
        return;
      }
      std::size_t at = 2;
      for (auto it = links.begin(); it != links.end() && at + 1 < fds.size(); at += 2) {
        bool client_readable = (fds[at].revents & readable_events) != 0;
        bool upstream_readable = (fds[at + 1].revents & readable_events) != 0;
        bool ok = pump(it->to_upstream, it->client.get(), it->upstream.get(), client_readable) &&
                  pump(it->to_client, it->upstream.get(), it->client.get(), upstream_readable);
        bool done = it->to_upstream.shut && it->to_client.shut;
        if (!ok) {
          reset_connection(it->client);
          reset_connection(it->upstream);
        }
        it = ok && !done ? std::next(it) : links.erase(it);
      }
      if ((fds[1].revents & POLLIN) != 0) {
        accept_one();
      }
    }
  }

  // Hands a request to the thread and waits until it has been applied.
  void request(bool cut_now, bool stop_now) {
    std::unique_lock<std::mutex> guard{mutex};
    cut = cut_now;
    stopping = stopping || stop_now;
    auto epoch = ++requested_epoch;
    char signal = 1;
    static_cast<void>(::write(wake_write.get(), &signal, 1));
    applied.wait(guard, [&] { return applied_epoch >= epoch || finished; });
  }
};

tcp_proxy::tcp_proxy(std::string target_host, std::uint16_t target_port)
    : impl_(std::make_unique<impl>()) {
  impl_->target_host = std::move(target_host);
  impl_->target_port = target_port;
  impl_->listener = unique_fd{::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  if (!impl_->listener) {
    throw os_error("socket");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  if (::bind(impl_->listener.get(), raw, length) != 0 ||
      ::listen(impl_->listener.get(), SOMAXCONN) != 0 ||
      ::getsockname(impl_->listener.get(), raw, &length) != 0) {
    throw os_error("tcp_proxy listen");
  }
  impl_->port = ntohs(address.sin_port);
  std::array<int, 2> wake{};
  if (::pipe2(wake.data(), O_NONBLOCK | O_CLOEXEC) != 0) {
    throw os_error("pipe2");
  }
  impl_->wake_read = unique_fd{wake[0]};
  impl_->wake_write = unique_fd{wake[1]};
  impl_->worker = std::thread([state = impl_.get()] { state->run(); });
}

tcp_proxy::~tcp_proxy() {
  impl_->request(true, true);
  impl_->worker.join();
}

std::uint16_t tcp_proxy::port() const noexcept {
  return impl_->port;
}

void tcp_proxy::cut() {
  impl_->request(true, false);
}

void tcp_proxy::restore() {
  impl_->request(false, false);
}

}  // namespace schedulerd::testing
