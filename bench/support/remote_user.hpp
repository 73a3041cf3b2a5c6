#pragma once

#include "bench/support/wrk.hpp"
#include "providers/http_client.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace schedulerd::bench {

/// A user driving a running service over HTTP: registered, with one Huggy connection whose
/// contacts are imported.
class remote_user {
 public:
  /// Registers, connects the fake Huggy at `base_url` and imports `contact_count` contacts;
  /// throws std::runtime_error when a step fails.
  remote_user(std::string base_url, std::int64_t contact_count);

  /// Sends `method` `path` with `body` (JSON, or nothing when null) as this user.
  [[nodiscard]] providers::outbound_response call(const std::string& method,
                                                  const std::string& path,
                                                  const nlohmann::json& body = nullptr) const;
  /// Schedules `content` to the contacts [first, first + count), due at `due_ms`; throws unless
  /// the service answers 202.
  void bulk(std::size_t first, std::size_t count, const std::string& content,
            std::int64_t due_ms) const;
  /// The body of a single create to contact `index`.
  [[nodiscard]] nlohmann::json message_to(std::size_t index, const std::string& content,
                                          std::int64_t due_ms) const;

  /// Points this user at the service's new address (after a restart).
  void rebase(std::string base_url) { base_ = std::move(base_url); }
  /// A wrk request for `method` `path` with `body` as this user.
  [[nodiscard]] wrk_request wrk(const std::string& method, const std::string& path,
                                const nlohmann::json& body = nullptr) const;
  /// Schedules `messages` texts due at `due_ms` in bulks to all the user's contacts, bulk `b`
  /// with content `tag b`.
  void bulks(std::int64_t messages, std::int64_t due_ms, const std::string& tag) const;

  /// The session token.
  [[nodiscard]] const std::string& token() const { return token_; }
  /// The connection's id.
  [[nodiscard]] const std::string& provider() const { return provider_; }
  /// The imported contacts' ids, in the service's order.
  [[nodiscard]] const std::vector<std::string>& contacts() const { return contacts_; }

 private:
  std::string base_;
  std::string token_;
  std::string provider_;
  std::vector<std::string> contacts_;
};

}  // namespace schedulerd::bench
