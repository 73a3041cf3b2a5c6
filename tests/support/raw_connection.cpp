#include "tests/support/raw_connection.hpp"

#include "domain/ascii_text.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

namespace schedulerd::testing {

namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on `fd`; true when they came before `until`.
bool wait_for(int fd, short events, clock::time_point until) {
  pollfd entry{fd, events, 0};
  for (;;) {
    const int ready = ::poll(&entry, 1, remaining_ms(until));
    if (ready >= 0 || errno != EINTR) {
      return ready > 0;
    }
  }
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Parses one whole response at the start of `buffer` and removes it; nullopt while incomplete.
std::optional<raw_response> take_response(std::string& buffer, bool answers_head) {
  const auto head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return std::nullopt;
  }
  raw_response out;
  std::string_view head{buffer.data(), head_end};
  auto line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12) {
    throw std::runtime_error("not an HTTP response: " + std::string{status_line});
  }
  out.status = std::stoi(std::string{status_line.substr(9, 3)});
  std::size_t content_length = 0;
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    auto line = head.substr(0, line_end);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    auto name = domain::ascii_lower(trimmed(line.substr(0, colon)));
    auto value = std::string{trimmed(line.substr(colon + 1))};
    if (name == "content-length") {
      content_length = std::stoul(value);
    }
    out.headers.emplace_back(std::move(name), std::move(value));
  }
  const auto body_start = head_end + 4;
  const auto body_size = answers_head ? 0 : content_length;
  if (buffer.size() < body_start + body_size) {
    return std::nullopt;
  }
  out.body = buffer.substr(body_start, body_size);
  buffer.erase(0, body_start + body_size);
  return out;
}

}  // namespace

std::optional<std::string_view> raw_response::header(std::string_view name) const {
  return domain::find_header(headers, name);
}

raw_connection::raw_connection(std::uint16_t port)
    : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
}

raw_connection::~raw_connection() {
  ::close(fd_);
}

std::size_t raw_connection::send(std::string_view bytes, std::chrono::milliseconds deadline) const {
  const auto until = clock::now() + deadline;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(fd_, POLLOUT, until)) {
        break;
      }
    } else {
      break;  // EPIPE, ECONNRESET: the peer is gone
    }
  }
  return sent;
}

bool raw_connection::fill(std::chrono::milliseconds wait) {
  if (ended_) {
    return false;
  }
  if (!wait_for(fd_, POLLIN, clock::now() + wait)) {
    return true;
  }
  std::array<char, 16384> chunk{};
  for (;;) {
    const auto n = ::recv(fd_, chunk.data(), chunk.size(), 0);
    if (n > 0) {
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    } else {
      ended_ = true;  // 0: FIN; anything else (ECONNRESET): RST
      return false;
    }
  }
}

std::optional<raw_response> raw_connection::read_response(bool answers_head,
                                                          std::chrono::milliseconds deadline) {
  const auto until = clock::now() + deadline;
  for (;;) {
    if (auto response = take_response(buffer_, answers_head)) {
      return response;
    }
    if (ended_ || clock::now() >= until) {
      return std::nullopt;
    }
    fill(std::chrono::milliseconds{remaining_ms(until)});
  }
}

bool raw_connection::stirs_within(std::chrono::milliseconds wait) {
  if (!buffer_.empty() || ended_) {
    return true;
  }
  fill(wait);
  return !buffer_.empty() || ended_;
}

bool raw_connection::ended_by_peer(std::chrono::milliseconds deadline) {
  const auto until = clock::now() + deadline;
  while (!ended_ && clock::now() < until) {
    fill(std::chrono::milliseconds{remaining_ms(until)});
  }
  return ended_;
}

bool raw_connection::await_unread(const std::function<bool(const std::string&)>& done,
                                  std::chrono::milliseconds deadline) {
  const auto until = clock::now() + deadline;
  while (!done(buffer_)) {
    if (ended_ || clock::now() >= until) {
      return false;
    }
    fill(std::chrono::milliseconds{remaining_ms(until)});
  }
  return true;
}

std::uint16_t port_of(const std::string& base_url) {
  return static_cast<std::uint16_t>(std::stoi(base_url.substr(base_url.rfind(':') + 1)));
}

}  // namespace schedulerd::testing
