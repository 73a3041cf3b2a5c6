// The providers service's use cases that reach the platform through the connection's connector:
// tests, contact imports and contact searches.

#include "actors/errc.hpp"
#include "domain/request_timeouts.hpp"
#include "services/promises.hpp"
#include "services/providers_state.hpp"
#include "storage/contact_store.hpp"
#include "storage/provider_store.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace schedulerd::services::provider_use_cases {

namespace {

// Asks the connection's connector `args...` and hands its reply to `then`.
template <class T, class Then, class... Ts>
void ask_connector(self_pointer self, caf::typed_response_promise<T> promise,
                   std::int64_t provider_id, Then then, Ts... args) {
  self->request(self->state.settings.connectors, actors::db_timeout, get_atom::value, provider_id)
      .then(
          [self, promise, then, args...](actors::connector_actor& connector) mutable {
            self->request(connector, domain::step_budget, args...).then(then, fail(promise));
          },
          fail(promise));
}

domain::page<domain::contact_record> page_of(std::vector<domain::contact_record> found,
                                             const domain::contact_query& query) {
  domain::page<domain::contact_record> page;
  page.total = static_cast<std::int64_t>(found.size());
  const auto first = std::min(page.total, (query.page - 1) * query.per_page);
  const auto last = std::min(page.total, first + query.per_page);
  page.items.assign(std::make_move_iterator(found.begin() + first),
                    std::make_move_iterator(found.begin() + last));
  return page;
}

}  // namespace

caf::expected<domain::provider_record> find_owned(storage::connection& db, std::int64_t user_id,
                                                  std::int64_t provider_id) {
  auto found = storage::find_provider(db, user_id, provider_id);
  if (!found) {
    return make_error(errc::not_found);
  }
  return std::move(*found);
}

void test_and_answer(self_pointer self,
                     caf::typed_response_promise<domain::provider_record> promise,
                     std::int64_t user_id, std::int64_t provider_id) {
  // The record is read after the test, whatever its outcome, so it shows the test's verdict.
  auto answer = [self, promise, user_id, provider_id]() mutable {
    with_owned(
        self, promise, user_id, provider_id,
        [promise](domain::provider_record& record) mutable { promise.deliver(std::move(record)); });
  };
  self->request(self->state.settings.connectors, actors::db_timeout, get_atom::value, provider_id)
      .then(
          [self, answer](actors::connector_actor& connector) mutable {
            self->request(connector, domain::step_budget, test_atom::value)
                .then([answer](domain::connection_test&) mutable { answer(); },
                      [answer](caf::error&) mutable { answer(); });
          },
          [answer](caf::error&) mutable { answer(); });
}

caf::result<domain::connection_test> test(self_pointer self, std::int64_t user_id,
                                          std::int64_t provider_id) {
  auto promise = self->make_response_promise<domain::connection_test>();
  with_owned(self, promise, user_id, provider_id,
             [self, promise, provider_id](domain::provider_record&) mutable {
               ask_connector(self, promise, provider_id, fulfil(promise), test_atom::value);
             });
  return promise;
}

caf::result<domain::sync_state> sync(self_pointer self, std::int64_t user_id,
                                     std::int64_t provider_id) {
  auto promise = self->make_response_promise<domain::sync_state>();
  const auto now = self->state.context.now();
  const auto stale_before = now - self->state.settings.sync_stale_after.count();
  actors::query(self, self->state.context.db_pool,
                [user_id, provider_id, now,
                 stale_before](storage::connection& db) -> caf::expected<domain::sync_state> {
                  auto found = find_owned(db, user_id, provider_id);
                  if (!found) {
                    return std::move(found.error());
                  }
                  if (!found->enabled) {
                    return make_error(errc::conflict,
                                      "The connection is disabled; enable it first.");
                  }
                  if (!storage::begin_contact_sync(db, provider_id, now, stale_before)) {
                    return make_error(errc::conflict, "A contact import is already running.");
                  }
                  return domain::sync_state{"running", now, std::nullopt, 0, ""};
                })
      .then(
          [self, promise, provider_id, now](domain::sync_state& started) mutable {
            ask_connector(
                self, promise, provider_id,
                [promise, started](bool) mutable { promise.deliver(std::move(started)); },
                sync_atom::value, now);
          },
          fail(promise));
  return promise;
}

caf::result<domain::page<domain::contact_record>> contacts(self_pointer self, std::int64_t user_id,
                                                           std::int64_t provider_id,
                                                           const domain::contact_query& query) {
  using contact_page = domain::page<domain::contact_record>;
  auto promise = self->make_response_promise<contact_page>();
  if (query.remote) {
    with_owned(self, promise, user_id, provider_id,
               [self, promise, provider_id, query](domain::provider_record&) mutable {
                 ask_connector(
                     self, promise, provider_id,
                     [promise, query](std::vector<domain::contact_record>& found) mutable {
                       promise.deliver(page_of(std::move(found), query));
                     },
                     contacts_atom::value, query.q);
               });
    return promise;
  }
  actors::query(
      self, self->state.context.db_pool,
      [user_id, provider_id, query](storage::connection& db) -> caf::expected<contact_page> {
        if (!storage::find_provider(db, user_id, provider_id)) {
          return make_error(errc::not_found);
        }
        return storage::search_contacts(db, provider_id, query.q, query.per_page,
                                        (query.page - 1) * query.per_page);
      })
      .then(fulfil(promise), fail(promise));
  return promise;
}

}  // namespace schedulerd::services::provider_use_cases
