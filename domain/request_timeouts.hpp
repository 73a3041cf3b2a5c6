#pragma once

#include <chrono>

// Every deadline of one request, derived from the edge's: an inner step gives up before the edge
// does, so the client sees that step's own error (a database or upstream failure) rather than the
// edge's generic 503. The static_asserts below pin the nesting; change a value and they say why.

namespace schedulerd::domain {

/// How long the edge waits for a handler before answering 503 on its behalf.
inline constexpr std::chrono::milliseconds handler_timeout{30000};

/// Room kept between any single step's deadline and the edge's, for the handler's other steps.
inline constexpr std::chrono::milliseconds nesting_margin{5000};

/// The longest any single step of a handler may wait: the edge's deadline minus the margin.
inline constexpr std::chrono::milliseconds step_budget = handler_timeout - nesting_margin;

/// How long a route handler waits for the service actor it asked: the service's own steps end
/// first, and the edge's deadline a second later.
inline constexpr std::chrono::milliseconds service_timeout =
    handler_timeout - std::chrono::milliseconds{1000};

/// How long a caller waits for the database.
inline constexpr std::chrono::milliseconds db_timeout{10000};

/// How long a caller waits for CPU-bound blocking work (argon2), queueing included.
inline constexpr std::chrono::milliseconds blocking_work_timeout = step_budget;

/// How long a caller waits for a whole outbound exchange (an OAuth login's calls).
inline constexpr std::chrono::milliseconds outbound_work_timeout = step_budget;

/// The most outbound calls one OAuth login makes (GitHub: the token, `/user`, `/user/emails`).
inline constexpr int outbound_calls_per_login = 3;

/// The total timeout of one outbound HTTP call: a login's calls all give up (502) before the
/// caller stops waiting for them, with a second to spare.
inline constexpr std::chrono::milliseconds outbound_call_timeout =
    (outbound_work_timeout - std::chrono::milliseconds{1000}) / outbound_calls_per_login;

static_assert(step_budget > std::chrono::milliseconds{0}, "the margin must leave a budget");
static_assert(step_budget < service_timeout && service_timeout < handler_timeout,
              "a service's steps end before its caller stops waiting, and it before the edge");
static_assert(db_timeout <= step_budget, "a database wait must end before the edge's");
static_assert(blocking_work_timeout <= step_budget, "blocking work must end before the edge's");
static_assert(outbound_work_timeout <= step_budget, "outbound work must end before the edge's");
static_assert(outbound_call_timeout * outbound_calls_per_login < outbound_work_timeout,
              "a login's outbound calls must time out before its caller stops waiting");

}  // namespace schedulerd::domain
