#include "providers/http_client.hpp"

#include "domain/ascii_text.hpp"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace schedulerd::providers {

namespace {

struct easy_deleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using easy_handle = std::unique_ptr<CURL, easy_deleter>;

struct slist_deleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using header_slist = std::unique_ptr<curl_slist, slist_deleter>;

std::once_flag init_once;

struct multi_deleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
using multi_handle = std::unique_ptr<CURLM, multi_deleter>;

// The sockets a thread's transfers wait on, as curl asks for them, and when curl wants to be
// called back if none of them is ready first.
struct socket_watch {
  std::vector<pollfd> sockets;
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// curl's CURLMOPT_SOCKETFUNCTION: starts, changes or stops watching one socket.
int on_socket(CURL* /*easy*/, curl_socket_t socket, int what, void* user, void* /*socketp*/) {
  auto& sockets = static_cast<socket_watch*>(user)->sockets;
  const auto found = std::find_if(sockets.begin(), sockets.end(),
                                  [socket](const pollfd& watched) { return watched.fd == socket; });
  if (what == CURL_POLL_REMOVE) {
    if (found != sockets.end()) sockets.erase(found);
    return 0;
  }
  const auto events = static_cast<short>(((what & CURL_POLL_IN) != 0 ? POLLIN : 0) |
                                         ((what & CURL_POLL_OUT) != 0 ? POLLOUT : 0));
  try {
    if (found == sockets.end()) {
      sockets.push_back(pollfd{socket, events, 0});
    } else {
      found->events = events;
    }
    return 0;
  } catch (...) {
    return -1;
  }
}

// curl's CURLMOPT_TIMERFUNCTION: -1 cancels the callback, any other value sets it that far ahead.
int on_timer(CURLM* /*multi*/, long timeout_ms, void* user) {
  auto& deadline = static_cast<socket_watch*>(user)->deadline;
  if (timeout_ms < 0) {
    deadline.reset();
  } else {
    deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{timeout_ms};
  }
  return 0;
}

// The thread's socket watch.
socket_watch& thread_watch() {
  thread_local socket_watch watch;
  return watch;
}

// Each thread drives its transfers through one multi handle, whose connection cache keeps
// kept-alive connections (and TLS sessions) for the next calls to the same hosts. curl tells the
// thread which sockets to wait on, and the thread tells curl which one is ready: curl then reads
// only that transfer, without a readiness check of its own on every running one.
CURLM* thread_multi() {
  thread_local multi_handle multi = [] {
    multi_handle made{curl_multi_init()};
    auto* watch = &thread_watch();
    if (made && (curl_multi_setopt(made.get(), CURLMOPT_SOCKETFUNCTION, &on_socket) != CURLM_OK ||
                 curl_multi_setopt(made.get(), CURLMOPT_SOCKETDATA, watch) != CURLM_OK ||
                 curl_multi_setopt(made.get(), CURLMOPT_TIMERFUNCTION, &on_timer) != CURLM_OK ||
                 curl_multi_setopt(made.get(), CURLMOPT_TIMERDATA, watch) != CURLM_OK)) {
      made.reset();
    }
    return made;
  }();
  return multi.get();
}

// The fewest connections a thread's cache keeps open.
constexpr long kept_connections_floor = 64;

// Lets the thread's cache keep a connection for every transfer of its largest call so far. By
// default curl sizes it at 4 per transfer of the current call, so a call of one after a call of
// twelve closed a kept connection at each answer, and the next call of twelve connected again
// (1,400 new connections in a 20,000-message burst, each a TLS handshake against a real platform).
void keep_connections_for(CURLM* multi, std::size_t transfers) {
  thread_local long kept = 0;
  const auto wanted = std::max(kept_connections_floor, static_cast<long>(transfers));
  if (wanted > kept && curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, wanted) == CURLM_OK) {
    kept = wanted;
  }
}

bool has_header(const domain::header_list& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [name](const auto& header) {
    return domain::ascii_lower(header.first) == name;
  });
}

// Callbacks must not throw into curl's C frames: returning a short count aborts the transfer.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  try {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  } catch (...) {
    return 0;
  }
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* headers = static_cast<domain::header_list*>(user);
  std::string_view line{data, size * count};
  try {
    // A status line starts a new response (after a 1xx, say): only the final one's headers count.
    if (line.substr(0, 5) == "HTTP/") {
      headers->clear();
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      headers->emplace_back(domain::trim_lower(line.substr(0, colon)),
                            std::string(domain::trim(line.substr(colon + 1))));
    }
    return size * count;
  } catch (...) {
    return 0;
  }
}

// Sets options on a handle one after another, stopping at the first that fails.
class option_setter {
 public:
  explicit option_setter(CURL* handle) : handle_(handle) {}

  template <class T>
  option_setter& operator()(CURLoption option, T value) {
    if (result_ == CURLE_OK) {
      result_ = curl_easy_setopt(handle_, option, value);
    }
    return *this;
  }

  [[nodiscard]] CURLcode result() const noexcept { return result_; }

 private:
  CURL* handle_;
  CURLcode result_ = CURLE_OK;
};

// Sets the options every transfer of a thread's handle shares; they stay set between calls.
bool set_fixed_options(CURL* handle) {
  option_setter set{handle};
  set(CURLOPT_NOSIGNAL, 1L)(CURLOPT_FOLLOWLOCATION, 0L)(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_SSL_VERIFYPEER, 1L)(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_WRITEFUNCTION, &on_body)(CURLOPT_HEADERFUNCTION, &on_header);
  return set.result() == CURLE_OK;
}

// The thread's first `count` easy handles; it keeps them between calls. Each transfer sets every
// option that differs between requests, so a handle needs no reset (which would free and rebuild
// all of its options) before its next one.
bool thread_handles(std::size_t count, std::vector<CURL*>& out) {
  thread_local std::vector<easy_handle> handles;
  while (handles.size() < count) {
    easy_handle handle{curl_easy_init()};
    if (!handle || !set_fixed_options(handle.get())) return false;
    handles.push_back(std::move(handle));
  }
  out.clear();
  for (std::size_t i = 0; i < count; ++i) out.push_back(handles[i].get());
  return true;
}

// Builds the header list curl sends: the caller's headers, minus the defaults curl would add.
header_slist make_headers(const outbound_request& request, bool sends_body) {
  header_slist list;
  auto append = [&list](const std::string& line) {
    curl_slist* head = curl_slist_append(list.get(), line.c_str());
    if (head == nullptr) {
      return false;
    }
    static_cast<void>(list.release());
    list.reset(head);
    return true;
  };
  bool ok = true;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling for a header with an empty value ("Name:" would remove it).
    std::string line = name;
    line += value.empty() ? ";" : ": ";
    line += value;
    ok = ok && append(line);
  }
  ok = ok && append("Expect:");
  if (sends_body && !has_header(request.headers, "content-type")) {
    // Otherwise curl labels every body application/x-www-form-urlencoded, even JSON.
    ok = ok && append("Content-Type:");
  }
  return ok ? std::move(list) : header_slist{};
}

// POST, PUT and PATCH always carry a body (maybe empty, so Content-Length: 0 is sent);
// other methods carry one only when the caller gave one.
bool sends_body(const outbound_request& request) {
  if (request.method == "HEAD") {
    return false;
  }
  return !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
         request.method == "PATCH";
}

void set_method(option_setter& set, const outbound_request& request, bool with_body) {
  if (request.method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else if (with_body) {
    set(CURLOPT_NOBODY, 0L);  // after a HEAD on this handle, it would still skip the body
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(CURLOPT_POSTFIELDS, request.body.c_str());
  } else {
    set(CURLOPT_HTTPGET, 1L);
  }
  // The handle's last transfer may have set a method of its own: clear it when this one has none.
  const bool custom = request.method != "HEAD" && request.method != (with_body ? "POST" : "GET");
  set(CURLOPT_CUSTOMREQUEST, custom ? request.method.c_str() : nullptr);
}

// One request's transfer: what curl writes into and the buffers it points at until it is done.
struct transfer {
  const outbound_request* request = nullptr;
  outbound_response response;
  header_slist headers;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  std::chrono::steady_clock::time_point started;
  bool added = false;
};

// Sets up `handle` for the transfer's request; false (with the response's error set) if it cannot.
bool prepare(CURL* handle, transfer& t) {
  const auto& request = *t.request;
  const bool with_body = sends_body(request);
  t.headers = make_headers(request, with_body);
  if (!t.headers) {
    t.response.error = "could not build the request headers";
    return false;
  }
  const auto timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
  option_setter set{handle};
  set(CURLOPT_URL, request.url.c_str())(CURLOPT_TIMEOUT_MS, timeout_ms);
  set(CURLOPT_HTTPHEADER, t.headers.get())(CURLOPT_ERRORBUFFER, t.error_buffer.data());
  set(CURLOPT_PRIVATE, static_cast<void*>(&t));
  set(CURLOPT_WRITEDATA, static_cast<void*>(&t.response.body));
  set(CURLOPT_HEADERDATA, static_cast<void*>(&t.response.headers));
  set_method(set, request, with_body);
  if (set.result() != CURLE_OK) {
    t.response.error = curl_easy_strerror(set.result());
    return false;
  }
  return true;
}

// Records how a finished transfer ended.
void finish(CURL* handle, transfer& t, CURLcode code) {
  auto& response = t.response;
  response.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t.started);
  if (code != CURLE_OK) {
    response.error = t.error_buffer[0] != '\0' ? t.error_buffer.data() : curl_easy_strerror(code);
    response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    response.headers.clear();
    response.body.clear();
    return;
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
}

// Hands every finished transfer its outcome.
void collect_finished(CURLM* multi) {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    void* owner = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &owner);
    finish(message->easy_handle, *static_cast<transfer*>(owner), message->data.result);
  }
}

// The CURL_CSELECT_* bits for what poll(2) reported of a socket.
int ready_bits(short revents) {
  return ((revents & POLLIN) != 0 ? CURL_CSELECT_IN : 0) |
         ((revents & POLLOUT) != 0 ? CURL_CSELECT_OUT : 0) |
         ((revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 ? CURL_CSELECT_ERR : 0);
}

// How long to wait for a socket before curl's callback is due (at most a second).
int wait_ms(const socket_watch& watch) {
  constexpr int longest = 1000;
  if (!watch.deadline) return longest;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(*watch.deadline -
                                                                 std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, longest));
}

// The watched sockets that turn ready within `timeout_ms`, each with the CURL_CSELECT_* bits
// to hand curl: a copy, since curl changes the watch while it acts on them.
void wait_for_sockets(socket_watch& watch, int timeout_ms,
                      std::vector<std::pair<curl_socket_t, int>>& ready) {
  ready.clear();
  auto& sockets = watch.sockets;
  if (timeout_ms == 0 || ::poll(sockets.data(), sockets.size(), timeout_ms) <= 0) return;
  for (const auto& socket : sockets) {
    if (socket.revents != 0) ready.emplace_back(socket.fd, ready_bits(socket.revents));
  }
}

// Hands curl each socket that turns ready, or its due callback when none does, until no transfer
// is running; every finished transfer gets its outcome as it ends.
CURLMcode drive(CURLM* multi, socket_watch& watch) {
  int running = 0;
  CURLMcode code = curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
  std::vector<std::pair<curl_socket_t, int>> ready;
  while (code == CURLM_OK) {
    collect_finished(multi);
    if (running == 0) break;
    wait_for_sockets(watch, wait_ms(watch), ready);
    for (const auto& [socket, bits] : ready) {
      if (code == CURLM_OK) code = curl_multi_socket_action(multi, socket, bits, &running);
    }
    if (ready.empty() && code == CURLM_OK) {
      code = curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
  }
  return code;
}

// Runs the transfers at once on this thread until the last one ends (each has its own timeout).
void run_all(CURLM* multi, std::vector<transfer>& transfers, const std::vector<CURL*>& handles) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    auto& t = transfers[i];
    t.started = start;
    if (prepare(handles[i], t) && curl_multi_add_handle(multi, handles[i]) == CURLM_OK) {
      t.added = true;
    } else if (t.response.error.empty()) {
      t.response.error = "could not start the transfer";
    }
  }
  const auto code = drive(multi, thread_watch());
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    if (!transfers[i].added) continue;
    auto& response = transfers[i].response;
    if (response.status == 0 && response.error.empty()) {
      response.error =
          code == CURLM_OK ? "the transfer ended without an answer" : curl_multi_strerror(code);
    }
    curl_multi_remove_handle(multi, handles[i]);
    // The handle outlives this call: drop pointers to the transfer's buffers.
    curl_easy_setopt(handles[i], CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    curl_easy_setopt(handles[i], CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  }
}

// `count` answers that all failed with `error`.
std::vector<outbound_response> failed_all(std::size_t count, const char* error) {
  std::vector<outbound_response> responses(count);
  for (auto& response : responses) response.error = error;
  return responses;
}

std::vector<outbound_response> perform_all(const std::vector<outbound_request>& requests) {
  if (requests.empty()) return {};
  CURLM* multi = thread_multi();
  std::vector<CURL*> handles;
  if (multi == nullptr || !thread_handles(requests.size(), handles)) {
    return failed_all(requests.size(), "could not create a curl handle");
  }
  keep_connections_for(multi, requests.size());
  std::vector<transfer> transfers(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) transfers[i].request = &requests[i];
  run_all(multi, transfers, handles);
  std::vector<outbound_response> responses;
  responses.reserve(transfers.size());
  for (auto& t : transfers) responses.push_back(std::move(t.response));
  return responses;
}

}  // namespace

std::optional<std::string_view> outbound_response::header(std::string_view name) const {
  return domain::find_header(headers, name);
}

void init_http_client() {
  std::call_once(init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

outbound_response send(const outbound_request& request) {
  return send_all({request}).front();
}

std::vector<outbound_response> send_all(const std::vector<outbound_request>& requests) {
  try {
    init_http_client();
    return perform_all(requests);
  } catch (const std::exception& e) {
    return failed_all(requests.size(), e.what());
  } catch (...) {
    return failed_all(requests.size(), "unknown error in the HTTP client");
  }
}

}  // namespace schedulerd::providers
