#include "actors/session_registry.hpp"

#include "actors/errc.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace schedulerd::actors {

namespace {

// The most units of work one trip to the pool carries.
constexpr std::size_t max_batch_units = 32;

// A unit of work waiting for its turn, its joint form if it has one, and its caller.
struct waiting_work {
  db_work work;
  joint_work_ptr joint;
  caf::response_promise caller;
};

// Units run back to back on one pooled connection, each in its own transaction, except that
// joint units of one kind next to each other run together. The worker records each unit's answer
// as it goes, and which unit it is running; the session reads them once the batch's reply is back.
struct work_batch {
  std::vector<db_work> units;
  std::vector<joint_work_ptr> joints;  // null for a unit without a joint form
  std::vector<std::optional<caf::expected<caf::message>>> answers;  // one per unit, once it ran
  std::optional<std::size_t> running;  // the unit running alone (the one a failure is about)
};

struct session_state {
  caf::actor db_pool;
  std::deque<waiting_work> waiting;
  bool running = false;
};

using session_self = caf::stateful_actor<session_state>;

// Runs unit `index` of `batch` alone and records its answer.
void run_alone(storage::connection& db, work_batch& batch, std::size_t index) {
  batch.running = index;
  auto outcome = batch.units[index](db);
  if (outcome.flag == caf::rt_error) {
    batch.answers[index].emplace(std::move(outcome.err));
  } else {
    batch.answers[index].emplace(std::move(outcome.value));
  }
}

// The end of the run of joint units of one kind that starts at `first` (just past `first` when
// that unit has no joint form).
std::size_t joint_run_end(const work_batch& batch, std::size_t first) {
  const auto& lead = batch.joints[first];
  auto end = first + 1;
  while (lead && end < batch.joints.size() && batch.joints[end] &&
         lead->joins(*batch.joints[end])) {
    ++end;
  }
  return end;
}

// Runs units [first, end) of `batch` together and records their answers; then a unit the joint
// run left out, or every unit when the joint run failed (it changed nothing then), runs alone.
void run_jointly(storage::connection& db, work_batch& batch, std::size_t first, std::size_t end) {
  const std::vector<joint_work_ptr> units(batch.joints.begin() + static_cast<std::ptrdiff_t>(first),
                                          batch.joints.begin() + static_cast<std::ptrdiff_t>(end));
  std::vector<std::optional<caf::message>> together;
  try {
    together = units.front()->run_together(db, units);
  } catch (const storage::storage_error&) {
    together.clear();  // it stored nothing: each unit alone meets the failure again, or explains it
  } catch (const std::exception&) {
    // What it stored, if anything, stays: answering each unit with the failure is safe, running
    // them again is not.
    for (std::size_t index = first; index < end; ++index) {
      batch.answers[index].emplace(make_error(errc::internal));
    }
    return;
  }
  together.resize(units.size());
  // Every answer of the joint run is recorded before anything else runs: should a unit left out
  // then fail alone, the units the joint run stored are answered, not sent again.
  for (std::size_t index = first; index < end; ++index) {
    if (auto& answer = together[index - first]) {
      batch.answers[index].emplace(std::move(*answer));
    }
  }
  for (std::size_t index = first; index < end; ++index) {
    if (!batch.answers[index]) {
      run_alone(db, batch, index);
    }
  }
}

// One trip to the pool for `batch`: its units in order, stopping at the first that throws (the
// worker answers with what that failure means).
db_work batch_work(std::shared_ptr<work_batch> batch) {
  return [batch = std::move(batch)](storage::connection& db) -> caf::result<caf::message> {
    batch->answers.resize(batch->units.size());
    for (std::size_t first = 0; first < batch->units.size();) {
      const auto end = joint_run_end(*batch, first);
      if (end - first > 1) {
        run_jointly(db, *batch, first, end);
      } else {
        run_alone(db, *batch, first);
      }
      first = end;
    }
    return caf::make_message(true);
  };
}

// Answers each unit that ran. After a failure the worker reported, the unit it stopped at gets
// that failure and the units after it that never ran wait for the next trip; when the pool gave
// no answer in time, every unit gets that error (the batch may still be running).
void answer_batch(session_self* self, work_batch& batch,
                  std::vector<caf::response_promise>& callers, const caf::error* failure) {
  if (failure != nullptr && *failure == caf::sec::request_timeout) {
    for (auto& caller : callers) {
      caller.deliver(*failure);
    }
    return;
  }
  batch.answers.resize(callers.size());  // no answers at all when the pool ran nothing
  for (std::size_t index = 0; index < callers.size(); ++index) {
    if (auto& reply = batch.answers[index]) {
      if (*reply) {
        callers[index].deliver(std::move(**reply));
      } else {
        callers[index].deliver(std::move(reply->error()));
      }
    }
  }
  if (failure == nullptr) {
    return;
  }
  std::size_t failed = 0;
  while (failed < callers.size() && batch.answers[failed]) {
    ++failed;
  }
  if (batch.running && !batch.answers[*batch.running]) {
    failed = *batch.running;
  }
  if (failed == callers.size()) {
    return;
  }
  callers[failed].deliver(*failure);
  for (auto index = callers.size(); index > failed + 1; --index) {
    if (!batch.answers[index - 1]) {
      self->state.waiting.push_front({std::move(batch.units[index - 1]),
                                      std::move(batch.joints[index - 1]),
                                      std::move(callers[index - 1])});
    }
  }
}

// Sends what waits to the pool in one trip, if nothing of this user's is running; the units
// that arrive meanwhile wait for the next trip, so a user's writes still run one at a time.
void run_waiting(session_self* self) {
  auto& state = self->state;
  if (state.waiting.empty()) {
    state.running = false;
    return;
  }
  state.running = true;
  auto batch = std::make_shared<work_batch>();
  std::vector<caf::response_promise> callers;
  const auto count = std::min(state.waiting.size(), max_batch_units);
  batch->units.reserve(count);
  batch->joints.reserve(count);
  callers.reserve(count);
  for (std::size_t taken = 0; taken < count; ++taken) {
    batch->units.push_back(std::move(state.waiting.front().work));
    batch->joints.push_back(std::move(state.waiting.front().joint));
    callers.push_back(std::move(state.waiting.front().caller));
    state.waiting.pop_front();
  }
  self->request(state.db_pool, db_timeout, run_atom::value, batch_work(batch))
      .then(
          [self, batch, callers](bool) mutable {
            answer_batch(self, *batch, callers, nullptr);
            run_waiting(self);
          },
          [self, batch, callers](caf::error& err) mutable {
            answer_batch(self, *batch, callers, &err);
            run_waiting(self);
          });
}

// Queues a unit of work (with its joint form, if any) and starts a trip if none is running.
caf::response_promise queue_work(session_self* self, db_work work, joint_work_ptr joint) {
  auto caller = self->make_response_promise();
  self->state.waiting.push_back({std::move(work), std::move(joint), caller});
  if (!self->state.running) {
    run_waiting(self);
  }
  return caller;
}

caf::behavior user_session(session_self* self, caf::actor db_pool,
                           std::chrono::milliseconds idle_timeout) {
  self->state.db_pool = std::move(db_pool);
  return {
      [self](run_atom, db_work& work) { return queue_work(self, std::move(work), nullptr); },
      [self](run_atom, db_work& work, joint_work_ptr& joint) {
        return queue_work(self, std::move(work), std::move(joint));
      },
      caf::after(idle_timeout) >>
          [self] {
            if (!self->state.running) {
              self->quit();
            }
          },
  };
}

struct registry_state {
  caf::actor db_pool;
  std::chrono::milliseconds idle_timeout{0};
  std::unordered_map<std::int64_t, caf::actor> sessions;
};

session_registry_actor::behavior_type session_registry(
    session_registry_actor::stateful_pointer<registry_state> self, caf::actor db_pool,
    std::chrono::milliseconds idle_timeout) {
  self->state.db_pool = std::move(db_pool);
  self->state.idle_timeout = idle_timeout;
  self->set_down_handler([self](caf::down_msg& down) {
    auto& sessions = self->state.sessions;
    for (auto it = sessions.begin(); it != sessions.end(); ++it) {
      if (it->second.address() == down.source) {
        sessions.erase(it);
        return;
      }
    }
  });
  // Sessions are linked so they stop with the registry. A session's own exit (idle or crash)
  // must not take the registry down: only an exit request from outside does. CAF 0.17's
  // anon_send_exit names the target itself as the source, so that counts as outside too.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (!msg.source || msg.source == self->address()) {
      self->quit(msg.reason);
    }
  });
  return introspected<session_registry_actor::behavior_type>(
      self,
      [self](get_atom, std::int64_t user_id) {
        auto& sessions = self->state.sessions;
        auto found = sessions.find(user_id);
        if (found != sessions.end()) {
          return found->second;
        }
        auto session = self->spawn<caf::monitored + caf::linked>(user_session, self->state.db_pool,
                                                                 self->state.idle_timeout);
        sessions.emplace(user_id, session);
        return session;
      },
      [self](get_atom) { return static_cast<std::int64_t>(self->state.sessions.size()); });
}

}  // namespace

session_registry_actor spawn_session_registry(caf::actor_system& system, caf::actor db_pool,
                                              std::chrono::milliseconds idle_timeout) {
  return system.spawn(session_registry, std::move(db_pool), idle_timeout);
}

}  // namespace schedulerd::actors
