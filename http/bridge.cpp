#include "domain/address_range.hpp"
#include "http/exchange.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>

namespace schedulerd::http {

namespace {

// The bearer token of `req`, or an empty string.
std::string bearer_token(const request& req) {
  auto value = req.header("authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (!value || value->size() <= scheme.size() || value->substr(0, scheme.size()) != scheme) {
    return {};
  }
  return std::string{value->substr(scheme.size())};
}

// The per-request pipeline; each step continues in the reply handler of the previous one.
class bridge {
 public:
  bridge(caf::event_based_actor* self, std::shared_ptr<const edge_settings> settings,
         std::shared_ptr<exchange> ex, request req, const route& target)
      : self_(self),
        settings_(std::move(settings)),
        ex_(std::move(ex)),
        req_(std::move(req)),
        target_(target) {}

  void start() {
    switch (target_.options.who) {
      case access::open:
        spend("ip:" + client_subject(), settings_->rate_limit_per_minute,
              [this] { call_handler(); });
        break;
      case access::auth_endpoint:
        spend("auth:" + client_subject(), settings_->rate_limit_auth_per_minute,
              [this] { call_handler(); });
        break;
      case access::authenticated:
        authenticate();
        break;
    }
  }

 private:
  // Who the client counts as for the rate limits of anonymous requests.
  [[nodiscard]] std::string client_subject() const {
    return domain::rate_limit_subject(req_.client_address);
  }

  void authenticate() {
    auto token = bearer_token(req_);
    if (token.empty() || !settings_->authenticator) {
      fail_anonymously(make_error(errc::unauthenticated));
      return;
    }
    self_
        ->request(
            settings_->authenticator, settings_->handler_timeout, authenticate_atom::value,
            // cppcheck-suppress accessMoved ; false positive: the chained .then() is no later use
            std::move(token))
        .then(
            [this](actors::principal& who) {
              req_.user_id = who.user_id;
              req_.token_id = who.token_id;
              ex_->summary.user_id = who.user_id;  // the access log names who asked
              spend("token:" + std::to_string(who.token_id), settings_->rate_limit_per_minute,
                    [this] { call_handler(); });
            },
            [this](caf::error& err) {
              // A wrong token is the client's business; anything else (a timeout, the database)
              // is ours to know about.
              if (describe(err).code != errc::unauthenticated) {
                ex_->log_swallowed("authentication_failed", self_->system().render(err));
              }
              fail_anonymously(std::move(err));
            });
  }

  // Failed authentications still spend the client address's budget, so guessing tokens is slow.
  void fail_anonymously(caf::error err) {
    spend("ip:" + client_subject(), settings_->rate_limit_per_minute,
          [this, err = std::move(err)] { ex_->finish(error_response(err)); });
  }

  template <class Continue>
  void spend(std::string key, int limit, Continue next) {
    if (!settings_->rate_limiter) {
      next();
      return;
    }
    self_
        ->request(
            settings_->rate_limiter, settings_->handler_timeout, limit_atom::value,
            // cppcheck-suppress accessMoved ; false positive: the chained .then() is no later use
            std::move(key), limit)
        .then(
            [this, next](actors::rate_decision& decision) {
              ex_->budget = decision;
              if (decision.allowed) {
                next();
              } else {
                ex_->finish(error_response(errc::rate_limited));
              }
            },
            // A limiter that cannot answer must not take the API down with it, but the operator
            // must learn that requests pass unlimited.
            [this, next](caf::error& err) {
              ex_->log_swallowed("rate_limit_unchecked", self_->system().render(err));
              next();
            });
  }

  void call_handler() {
    // cppcheck-suppress accessMoved ; false positive: the chained .then() is no later use
    self_->request(target_.target, settings_->handler_timeout, std::move(req_))
        .then([this](response& res) { ex_->finish(std::move(res)); },
              [this](caf::error& err) { ex_->finish(error_response(err)); });
  }

  caf::event_based_actor* self_;
  std::shared_ptr<const edge_settings> settings_;
  std::shared_ptr<exchange> ex_;
  request req_;
  const route& target_;
};

}  // namespace

void spawn_bridge(caf::actor_system& system, std::shared_ptr<const edge_settings> settings,
                  std::shared_ptr<exchange> ex, request req, const route& target) {
  system.spawn([settings = std::move(settings), ex = std::move(ex), req = std::move(req),
                &target](caf::event_based_actor* self) mutable {
    // The bridge lives as long as the actor: it is destroyed with the actor's last handler.
    auto state = std::make_shared<bridge>(self, settings, std::move(ex), std::move(req), target);
    self->attach_functor([state] {});
    state->start();
  });
}

}  // namespace schedulerd::http
