#include "tests/support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// One socket, closed at scope exit.
class socket_fd {
 public:
  explicit socket_fd(int fd = -1) noexcept : fd_(fd) {}
  socket_fd(socket_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  socket_fd& operator=(socket_fd&&) = delete;
  socket_fd(const socket_fd&) = delete;
  socket_fd& operator=(const socket_fd&) = delete;
  ~socket_fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

// A listening socket on a free loopback port, standing in for the proxied server.
struct upstream_server {
  socket_fd listener{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  std::uint16_t port = 0;

  upstream_server() {
    auto address = loopback(0);
    socklen_t length = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    REQUIRE(::bind(listener.get(), raw, length) == 0);
    REQUIRE(::listen(listener.get(), 8) == 0);
    REQUIRE(::getsockname(listener.get(), raw, &length) == 0);
    port = ntohs(address.sin_port);
  }

  [[nodiscard]] socket_fd accept_one() const {
    pollfd ready{listener.get(), POLLIN, 0};
    REQUIRE(::poll(&ready, 1, 5000) == 1);
    return socket_fd{::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC)};
  }
};

socket_fd connect_to(std::uint16_t port) {
  socket_fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  auto address = loopback(port);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  return fd;
}

void send_all(const socket_fd& fd, const std::string& data) {
  REQUIRE(::send(fd.get(), data.data(), data.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(data.size()));
}

// What one read returns within 5 s: the bytes, "" at end of stream, or "<error>" on a reset.
std::string receive(const socket_fd& fd) {
  pollfd ready{fd.get(), POLLIN, 0};
  if (::poll(&ready, 1, 5000) != 1) {
    return "<timeout>";
  }
  std::array<char, std::size_t{64} * 1024> buffer{};
  auto n = ::recv(fd.get(), buffer.data(), buffer.size(), 0);
  return n < 0 ? "<error>" : std::string(buffer.data(), static_cast<std::size_t>(n));
}

// Reads exactly `size` bytes, or fewer if the stream ends or stalls.
std::string receive_exactly(const socket_fd& fd, std::size_t size) {
  std::string out;
  while (out.size() < size) {
    auto chunk = receive(fd);
    if (chunk.empty() || chunk.front() == '<') {
      break;
    }
    out += chunk;
  }
  return out;
}

bool is_broken(const std::string& read) {
  return read.empty() || read == "<error>";
}

}  // namespace

TEST_CASE("the TCP proxy forwards bytes both ways", "[support]") {
  upstream_server server;
  testing::tcp_proxy proxy{"127.0.0.1", server.port};

  auto client = connect_to(proxy.port());
  auto accepted = server.accept_one();
  send_all(client, "ping");
  CHECK(receive_exactly(accepted, 4) == "ping");
  send_all(accepted, "pong");
  CHECK(receive_exactly(client, 4) == "pong");

  // More than the socket buffers hold, so the proxy has to wait for the reader in between.
  const std::string large(std::size_t{4} * 1024 * 1024, 'x');
  std::size_t sent = 0;
  std::thread writer{[&] {
    while (sent < large.size()) {
      auto n = ::send(client.get(), large.data() + sent, large.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        return;
      }
      sent += static_cast<std::size_t>(n);
    }
  }};
  auto received = receive_exactly(accepted, large.size());
  writer.join();
  CHECK(sent == large.size());
  CHECK((received == large));
}

TEST_CASE("cutting the TCP proxy breaks open connections until it is restored", "[support]") {
  upstream_server server;
  testing::tcp_proxy proxy{"127.0.0.1", server.port};
  auto client = connect_to(proxy.port());
  auto accepted = server.accept_one();
  send_all(client, "hello");
  REQUIRE(receive_exactly(accepted, 5) == "hello");

  proxy.cut();

  CHECK(is_broken(receive(client)));
  CHECK(is_broken(receive(accepted)));
  auto refused = connect_to(proxy.port());
  CHECK(is_broken(receive(refused)));

  proxy.restore();

  auto again = connect_to(proxy.port());
  auto accepted_again = server.accept_one();
  send_all(again, "back");
  CHECK(receive_exactly(accepted_again, 4) == "back");
}
