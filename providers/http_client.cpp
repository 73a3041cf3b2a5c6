#include "providers/http_client.hpp"

#include "domain/ascii_text.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>

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

// One handle per thread, reset between calls: the reset keeps the handle's connection pool and DNS
// cache, so repeated calls to the same host reuse a kept-alive connection (and its TLS session).
CURL* thread_handle() {
  thread_local easy_handle handle;
  if (handle) {
    curl_easy_reset(handle.get());
  } else {
    handle.reset(curl_easy_init());
  }
  return handle.get();
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
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(CURLOPT_POSTFIELDS, request.body.c_str());
  } else {
    set(CURLOPT_HTTPGET, 1L);
  }
  if (request.method != "HEAD" && request.method != (with_body ? "POST" : "GET")) {
    set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

outbound_response perform(const outbound_request& request) {
  outbound_response response;
  CURL* handle = thread_handle();
  if (handle == nullptr) {
    response.error = "could not create a curl handle";
    return response;
  }
  const bool with_body = sends_body(request);
  header_slist headers = make_headers(request, with_body);
  if (!headers) {
    response.error = "could not build the request headers";
    return response;
  }
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  const auto timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));

  option_setter set{handle};
  set(CURLOPT_URL, request.url.c_str())(CURLOPT_NOSIGNAL, 1L)(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROTOCOLS_STR, "http,https")(CURLOPT_SSL_VERIFYPEER, 1L)(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_TIMEOUT_MS, timeout_ms)(CURLOPT_HTTPHEADER, headers.get());
  set(CURLOPT_ERRORBUFFER, error_buffer.data());
  set(CURLOPT_WRITEFUNCTION, &on_body)(CURLOPT_WRITEDATA, static_cast<void*>(&response.body));
  set(CURLOPT_HEADERFUNCTION, &on_header)(CURLOPT_HEADERDATA,
                                          static_cast<void*>(&response.headers));
  set_method(set, request, with_body);
  if (set.result() != CURLE_OK) {
    response.error = curl_easy_strerror(set.result());
    return response;
  }

  const auto start = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(handle);
  response.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  // The handle outlives this call: drop pointers to our locals before they go out of scope.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));

  if (code != CURLE_OK) {
    response.error = error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
    response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    response.headers.clear();
    response.body.clear();
    return response;
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace

std::optional<std::string_view> outbound_response::header(std::string_view name) const {
  return domain::find_header(headers, name);
}

void init_http_client() {
  std::call_once(init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

outbound_response send(const outbound_request& request) {
  try {
    init_http_client();
    return perform(request);
  } catch (const std::exception& e) {
    outbound_response response;
    response.error = e.what();
    return response;
  } catch (...) {
    outbound_response response;
    response.error = "unknown error in the HTTP client";
    return response;
  }
}

}  // namespace schedulerd::providers
