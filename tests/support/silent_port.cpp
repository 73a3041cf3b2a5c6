#include "tests/support/silent_port.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace schedulerd::testing {

silent_port::silent_port(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot reserve a loopback port");
  }
  if (listening && ::listen(fd_, 8) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot listen on a loopback port");
  }
  port_ = ntohs(address.sin_port);
}

silent_port::~silent_port() {
  ::close(fd_);
}

std::string silent_port::url(const std::string& scheme) const {
  return scheme + "://127.0.0.1:" + std::to_string(port_);
}

bool silent_port::reset_next_connection() const {
  const int peer = ::accept(fd_, nullptr, nullptr);
  if (peer < 0) {
    return false;
  }
  linger abort{1, 0};
  ::setsockopt(peer, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
  ::close(peer);
  return true;
}

}  // namespace schedulerd::testing
