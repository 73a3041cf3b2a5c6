#pragma once

#include "storage/connection.hpp"

namespace schedulerd::storage {

/// Runs `fn()`, whose result converts to bool (e.g. `caf::expected<T>`), in a transaction:
/// commits when it yields a value, rolls back when it yields an error or throws.
template <class F>
auto in_transaction(connection& db, F&& fn) -> decltype(fn()) {
  db.begin();
  try {
    auto outcome = fn();
    if (outcome) {
      db.commit();
    } else {
      db.rollback();
    }
    return outcome;
  } catch (...) {
    db.rollback();
    throw;
  }
}

/// Runs `fn()` in a transaction that commits whenever it returns and rolls back when it throws;
/// answers its result (for work whose every result is a success: lists, counts).
template <class F>
auto in_committed_transaction(connection& db, F&& fn) -> decltype(fn()) {
  db.begin();
  try {
    auto outcome = fn();
    db.commit();
    return outcome;
  } catch (...) {
    db.rollback();
    throw;
  }
}

}  // namespace schedulerd::storage
