#pragma once

#include "storage/connection.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/message.hpp>

#include <memory>
#include <optional>
#include <typeinfo>
#include <vector>

namespace schedulerd::actors {

/// A unit of a user's session work that may run in one go with the units of its own kind queued
/// right behind it: fifty creates waiting for one user's session become one statement.
class joint_work {
 public:
  joint_work() = default;
  joint_work(const joint_work&) = delete;
  joint_work& operator=(const joint_work&) = delete;
  joint_work(joint_work&&) = delete;
  joint_work& operator=(joint_work&&) = delete;
  virtual ~joint_work() = default;

  /// Whether `other` is of the same kind, so that both can go in one run_together.
  [[nodiscard]] bool joins(const joint_work& other) const { return typeid(*this) == typeid(other); }

  /// Runs `units` (of this unit's kind, in their order) on `db`, as one piece of work that is
  /// applied whole or not at all: one entry per unit, its answer, or nothing for a unit that has
  /// to run alone after all (its own work then explains a refusal, say). Throws
  /// storage::storage_error only when it stored nothing (each unit then runs alone); any other
  /// exception answers every unit with an internal error.
  virtual std::vector<std::optional<caf::message>> run_together(
      storage::connection& db, const std::vector<std::shared_ptr<joint_work>>& units) = 0;
};

/// The way a joint unit travels to a session: shared, since only one of the units runs the others.
using joint_work_ptr = std::shared_ptr<joint_work>;

/// The units of `units` as `Unit`, their real kind (all of them, as joins() checked).
template <class Unit>
std::vector<const Unit*> units_of(const std::vector<joint_work_ptr>& units) {
  std::vector<const Unit*> out;
  out.reserve(units.size());
  for (const auto& unit : units) {
    out.push_back(&dynamic_cast<const Unit&>(*unit));
  }
  return out;
}

}  // namespace schedulerd::actors

// Joint work carries a closure's worth of state: it never leaves the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::joint_work_ptr)
