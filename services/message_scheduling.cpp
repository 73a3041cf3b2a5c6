// Scheduling: one message or a batch, validated all or nothing in one transaction, replayed
// when its Idempotency-Key comes again with the same body.

#include "actors/errc.hpp"
#include "actors/session_registry.hpp"
#include "services/messages_state.hpp"
#include "services/promises.hpp"
#include "storage/idempotency_store.hpp"
#include "storage/message_store.hpp"
#include "storage/provider_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace schedulerd::services::message_use_cases {

namespace {

// Foreign contacts named in one answer, at most; the rest are implied.
constexpr std::size_t foreign_contacts_shown = 20;

constexpr const char* message_resource = "message:";
constexpr const char* batch_resource = "batch:";

caf::error key_reused() {
  return make_error(errc::conflict,
                    "This Idempotency-Key was already used with a different request.");
}

// The id in `resource` if it names a `kind` (`message:` or `batch:`).
std::optional<std::int64_t> resource_id(const std::string& resource, std::string_view kind) {
  if (resource.rfind(kind, 0) != 0) {
    return std::nullopt;
  }
  return std::stoll(resource.substr(kind.size()));
}

std::string resource_name(const char* kind, std::int64_t id) {
  std::string name{kind};
  name += std::to_string(id);
  return name;
}

// What a schedule request needs in its transaction besides what it stores.
struct schedule_request {
  std::int64_t user_id = 0;
  std::int64_t provider_id = 0;
  std::vector<std::int64_t> contacts;
  const char* contact_key = "";
  bool indexed = false;
  std::string key;
  std::string hash;
  std::int64_t now = 0;
  std::int64_t expires_at = 0;
  const char* kind = "";
  std::int32_t status = 0;
};

// The first answer to the request's key, if one is remembered: the same resource again, or
// `conflict` when the key came with another body.
template <class Answer, class Find>
std::optional<caf::expected<Answer>> replay(storage::connection& db,
                                            const schedule_request& request, Find find) {
  if (request.key.empty()) {
    return std::nullopt;
  }
  auto answer = storage::find_idempotent_answer(db, request.user_id, request.key, request.now);
  if (!answer) {
    return std::nullopt;
  }
  auto id = resource_id(answer->resource, request.kind);
  if (answer->request_hash != request.hash || !id) {
    return caf::expected<Answer>{key_reused()};
  }
  auto found = find(*id);
  if (!found) {
    return caf::expected<Answer>{key_reused()};
  }
  return caf::expected<Answer>{Answer{std::move(*found), true}};
}

// What a schedule request stores: its answer and the id its key will name.
template <class Answer>
using stored = caf::expected<std::pair<Answer, std::int64_t>>;

// One schedule request's transaction: the key's first answer again, or the rows stored by
// `store() -> stored<Answer>` and the key remembered, all or nothing.
template <class Answer, class Find, class Store>
caf::expected<Answer> schedule_once(storage::connection& db, const schedule_request& request,
                                    Find find, Store store) {
  return storage::in_transaction(db, [&]() -> caf::expected<Answer> {
    if (auto replayed = replay<Answer>(db, request, find)) {
      return std::move(*replayed);
    }
    auto answer = store();
    if (!answer) {
      return std::move(answer.error());
    }
    if (!request.key.empty()) {
      storage::remember_idempotent_answer(
          db, request.user_id, request.key,
          {request.hash, request.status, resource_name(request.kind, answer->second)}, request.now,
          request.expires_at);
    }
    return std::move(answer->first);
  });
}

// The request's recipients checked one by one (every problem named), then `insert() ->
// pair<Answer, id>` when there is none.
template <class Answer, class Insert>
stored<Answer> checked(storage::connection& db, const schedule_request& request, Insert insert) {
  auto problems = check_recipients(db, request.user_id, request.provider_id, request.contacts,
                                   request.contact_key, request.indexed);
  if (!problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  return insert();
}

// A new message as schedule_once stores it: the answer and the id its key names.
std::pair<domain::created_message, std::int64_t> created_pair(domain::message_record message) {
  const auto id = message.id;
  return {domain::created_message{std::move(message), false}, id};
}

std::int64_t expiry(self_pointer self, std::int64_t now) {
  return now + self->state.settings.idempotency_ttl.count();
}

// A create without a key in the form a user's session may run together with the creates queued
// beside it: one statement stores them all, and a create it did not store (its connection or
// contact refused) runs alone, which says why.
class joint_create final : public actors::joint_work {
 public:
  joint_create(std::int64_t user_id, storage::allowed_message_request request)
      : user_id_(user_id), request_(std::move(request)) {}

  std::vector<std::optional<caf::message>> run_together(
      storage::connection& db, const std::vector<actors::joint_work_ptr>& units) override {
    std::vector<storage::allowed_message_request> requests;
    requests.reserve(units.size());
    // A session holds one user's work, so every unit is this user's.
    for (const auto* create : actors::units_of<joint_create>(units)) {
      requests.push_back(create->request_);
    }
    std::vector<std::optional<caf::message>> answers;
    answers.reserve(units.size());
    for (auto& message : storage::insert_allowed_messages(db, user_id_, requests)) {
      if (message) {
        answers.emplace_back(
            caf::make_message(domain::created_message{std::move(*message), false}));
      } else {
        answers.emplace_back(std::nullopt);
      }
    }
    return answers;
  }

 private:
  std::int64_t user_id_;
  storage::allowed_message_request request_;
};

}  // namespace

field_errors check_recipients(storage::connection& db, std::int64_t user_id,
                              std::int64_t provider_id, const std::vector<std::int64_t>& contacts,
                              const std::string& contact_key, bool indexed) {
  field_errors problems;
  auto provider = storage::find_provider(db, user_id, provider_id);
  if (!provider) {
    problems["provider_id"].emplace_back("must be one of your connections");
    return problems;
  }
  if (!provider->enabled) {
    problems["provider_id"].emplace_back("must be an enabled connection");
    return problems;
  }
  auto foreign = storage::foreign_contacts(db, provider_id, contacts);
  if (foreign.empty()) {
    return problems;
  }
  const std::unordered_set<std::int64_t> unknown(foreign.begin(), foreign.end());
  std::size_t shown = 0;
  for (std::size_t index = 0; index < contacts.size() && shown < foreign_contacts_shown; ++index) {
    if (!unknown.contains(contacts[index])) {
      continue;
    }
    auto key = contact_key;
    if (indexed) {
      key += '.';
      key += std::to_string(index);
    }
    problems[key].emplace_back("must be a contact of this connection");
    ++shown;
  }
  return problems;
}

void notify_due(self_pointer self, std::vector<domain::due_entry> entries) {
  if (!entries.empty()) {
    self->send(self->state.settings.scheduler, schedule_atom::value, std::move(entries));
  }
}

caf::result<domain::created_message> create(self_pointer self, std::int64_t user_id,
                                            domain::message_draft& draft, const std::string& key) {
  const auto now = self->state.context.now();
  draft.content = domain::normalize_content(draft.content);
  if (auto problems = domain::validate_message(draft, now, self->state.settings.limits);
      !problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  auto promise = self->make_response_promise<domain::created_message>();
  const schedule_request request{user_id,
                                 draft.provider_id,
                                 {draft.contact_id},
                                 "contact_id",
                                 false,
                                 key,
                                 domain::fingerprint(draft),
                                 now,
                                 expiry(self, now),
                                 message_resource,
                                 201};
  auto joint = key.empty() ? std::make_shared<joint_create>(
                                 user_id, storage::allowed_message_request{draft, now})
                           : nullptr;
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [request, draft](storage::connection& db) -> caf::expected<domain::created_message> {
        // One statement checks the recipient and stores the message (in the key's transaction
        // when there is a key); the checks run one by one only to explain a refusal.
        if (request.key.empty()) {
          if (auto message =
                  storage::insert_allowed_message(db, request.user_id, draft, request.now)) {
            return domain::created_message{std::move(*message), false};
          }
        }
        return schedule_once<domain::created_message>(
            db, request,
            [&](std::int64_t id) { return storage::find_message(db, request.user_id, id); },
            [&]() -> stored<domain::created_message> {
              if (!request.key.empty()) {
                if (auto message = storage::insert_allowed_message_in_transaction(
                        db, request.user_id, draft, request.now)) {
                  return created_pair(std::move(*message));
                }
              }
              // Refused, or allowed by a write committed since: the checks tell which.
              return checked<domain::created_message>(db, request, [&] {
                return created_pair(
                    storage::insert_message(db, request.user_id, draft, request.now));
              });
            });
      },
      std::move(joint),
      [self, promise](domain::created_message& created) mutable {
        if (!created.replayed) {
          notify_due(self, {{created.message.id, created.message.next_attempt_at}});
        }
        promise.deliver(std::move(created));
      },
      fail(promise));
  return promise;
}

caf::result<domain::created_batch> bulk(self_pointer self, std::int64_t user_id,
                                        domain::bulk_draft& draft, const std::string& key) {
  const auto now = self->state.context.now();
  draft.content = domain::normalize_content(draft.content);
  if (auto problems = domain::validate_bulk(draft, now, self->state.settings.limits);
      !problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  auto promise = self->make_response_promise<domain::created_batch>();
  const schedule_request request{user_id,
                                 draft.provider_id,
                                 draft.contact_ids,
                                 "contact_ids",
                                 true,
                                 key,
                                 domain::fingerprint(draft),
                                 now,
                                 expiry(self, now),
                                 batch_resource,
                                 202};
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [request, draft](storage::connection& db) {
        return schedule_once<domain::created_batch>(
            db, request,
            [&](std::int64_t id) { return storage::find_batch(db, request.user_id, id); },
            [&] {
              return checked<domain::created_batch>(db, request, [&] {
                auto batch = storage::insert_batch(db, request.user_id, draft, request.now);
                const auto id = batch.id;
                return std::make_pair(domain::created_batch{std::move(batch), false}, id);
              });
            });
      },
      [self, promise](domain::created_batch& created) mutable {
        // Wheel entries only wake the scheduler, which then claims whatever is due: one entry
        // (keyed by the batch's negated id) wakes it for the whole batch, which shares one time.
        if (!created.replayed) {
          notify_due(self, {{-created.batch.id, created.batch.send_at}});
        }
        promise.deliver(std::move(created));
      },
      fail(promise));
  return promise;
}

}  // namespace schedulerd::services::message_use_cases
