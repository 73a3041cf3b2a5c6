#include "http/status.hpp"

#include "http/reply.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

// Status and default message per errc; the envelope's code is errc's own name (domain/errc.cpp).
struct http_form {
  int status;
  std::string_view message;
};

http_form http_form_of(errc code) noexcept {
  switch (code) {
    case errc::bad_request:
      return {400, "The request could not be understood."};
    case errc::unauthenticated:
      return {401, "Authentication is required."};
    case errc::forbidden:
      return {403, "You may not do this."};
    case errc::not_found:
      return {404, "The resource was not found."};
    case errc::method_not_allowed:
      return {405, "The method is not allowed on this resource."};
    case errc::conflict:
      return {409, "The request conflicts with the resource's current state."};
    case errc::payload_too_large:
      return {413, "The request body is too large."};
    case errc::uri_too_long:
      return {414, "The request URI is too long."};
    case errc::unsupported_media_type:
      return {415, "The request body must be application/json."};
    case errc::invalid_input:
      return {422, "The given data was invalid."};
    case errc::rate_limited:
      return {429, "Too many requests."};
    case errc::headers_too_large:
      return {431, "The request headers are too large."};
    case errc::internal:
      return {500, "Something went wrong on our side."};
    case errc::unavailable:
      return {503, "The service is temporarily unavailable."};
    case errc::upstream_failed:
      return {502, "The messaging platform did not answer as expected."};
  }
  return {500, "Something went wrong on our side."};
}

}  // namespace

status_entry status_of(errc code) noexcept {
  const auto form = http_form_of(code);
  return {form.status, to_string(code), form.message};
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

response error_response(errc code, std::string_view message, const field_errors& details) {
  auto entry = status_of(code);
  nlohmann::json error{{"code", entry.code},
                       {"message", message.empty() ? entry.message : message}};
  if (!details.empty()) {
    error["details"] = details;
  }
  auto res = json_response(entry.status, nlohmann::json{{"error", std::move(error)}});
  // A failure that may pass tells the client when to try again (a rate limit sets its own).
  if (auto wait = domain::retry_after_hint(code)) {
    res.set_header("retry-after", std::to_string(wait->count()));
  }
  return res;
}

response error_response(const caf::error& err) {
  auto info = describe(err);
  auto res = error_response(info.code, info.message, info.details);
  if (info.retry_after_s) {
    res.set_header("retry-after", std::to_string(*info.retry_after_s));
  }
  return res;
}

}  // namespace schedulerd::http
