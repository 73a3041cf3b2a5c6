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

}  // namespace schedulerd::storage
