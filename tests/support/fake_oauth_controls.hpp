#pragma once

#include "http/message.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace schedulerd::testing {

/// What a test steers in a fake OAuth provider besides its grants: who is signed in at the
/// authorize page and whether they refuse, the parameters of the last visit there, and failures
/// injected into the provider's endpoints. Thread-safe: the fake's server threads read what the
/// test sets.
template <class User, class Endpoint>
class fake_oauth_controls {
 public:
  /// Sets who is signed in at the authorize page, i.e. whom a browser visit approves.
  void sign_in_as(User user) {
    std::lock_guard lock{mutex_};
    signed_in_ = std::move(user);
  }

  /// Makes the authorize page redirect with error=access_denied, as when the user cancels.
  void deny_consent(bool deny) {
    std::lock_guard lock{mutex_};
    deny_ = deny;
  }

  /// The decoded query parameters of the last visit to the authorize page (empty before any).
  [[nodiscard]] std::map<std::string, std::string> authorize_params() const {
    std::lock_guard lock{mutex_};
    return authorize_params_;
  }

  /// Makes `which` answer `status` with the provider's own outage page, until `recover()`.
  void fail(Endpoint which, int status) { fail(which, status, outage_body_, outage_content_type_); }

  /// Makes `which` answer `status` with `body` instead of working, until `recover()`.
  void fail(Endpoint which, int status, std::string body, std::string content_type) {
    http::response out;
    out.status = status;
    out.set_header("content-type", std::move(content_type));
    out.body = std::move(body);
    std::lock_guard lock{mutex_};
    failures_[which] = std::move(out);
  }

  /// Undoes every `fail()`.
  void recover() {
    std::lock_guard lock{mutex_};
    failures_.clear();
  }

 protected:
  /// Who a visit to the authorize page finds signed in, and whether they refuse.
  struct consent {
    User user;
    bool deny = false;
  };

  /// `outage_body` (of `outage_content_type`) is the page the provider shows when it is down.
  fake_oauth_controls(std::string outage_body, std::string outage_content_type)
      : outage_body_(std::move(outage_body)),
        outage_content_type_(std::move(outage_content_type)) {}

  /// Records a visit to the authorize page with `params`; answers whom it finds signed in.
  consent visit(std::map<std::string, std::string> params) {
    std::lock_guard lock{mutex_};
    authorize_params_ = std::move(params);
    return {signed_in_, deny_};
  }

  /// The failure injected into `which`, if any.
  [[nodiscard]] std::optional<http::response> injected(Endpoint which) const {
    std::lock_guard lock{mutex_};
    const auto it = failures_.find(which);
    return it == failures_.end() ? std::nullopt : std::optional<http::response>{it->second};
  }

 private:
  std::string outage_body_;
  std::string outage_content_type_;
  mutable std::mutex mutex_;
  User signed_in_;
  bool deny_ = false;
  std::map<std::string, std::string> authorize_params_;
  std::map<Endpoint, http::response> failures_;
};

}  // namespace schedulerd::testing
