#pragma once

#include "providers/http_client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace schedulerd::testing {

/// A user driving a running service over HTTP, as the end-to-end tests and the benchmarks do:
/// registered, with one Huggy connection whose contacts are imported. Every step that fails throws
/// std::runtime_error, which fails a test with the service's answer in the message.
class remote_user {
 public:
  /// Registers on the service at `base_url`, connects the fake Huggy it points at with
  /// `settings`, and imports its first `contact_count` contacts.
  remote_user(std::string base_url, std::int64_t contact_count,
              const nlohmann::json& settings = {{"send_mode", "chat"}});

  /// Sends `method` `path` with `body` (JSON, or nothing when null) as this user, waiting up to
  /// `timeout` for the answer.
  [[nodiscard]] providers::outbound_response call(
      const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
      std::chrono::milliseconds timeout = std::chrono::seconds{10}) const;

  /// Schedules `content` to the contacts [first, first + count), due at `due_ms`.
  void bulk(std::size_t first, std::size_t count, const std::string& content,
            std::int64_t due_ms) const;

  /// Schedules `messages` texts due at `due_ms` in bulks to all the user's contacts, bulk `b`
  /// with content `tag b`.
  void bulks(std::int64_t messages, std::int64_t due_ms, const std::string& tag) const;

  /// Schedules one text to every contact, due `ahead` from now (the real clock); answers the
  /// batch's id.
  [[nodiscard]] std::string schedule_all(std::chrono::milliseconds ahead) const;

  /// The batch `id` as the service shows it.
  [[nodiscard]] nlohmann::json batch(const std::string& id) const;

  /// The body of a single create to contact `index`.
  [[nodiscard]] nlohmann::json message_to(std::size_t index, const std::string& content,
                                          std::int64_t due_ms) const;

  /// Points this user at another node, or at the service's new address after a restart.
  void rebase(std::string base_url) { base_ = std::move(base_url); }

  /// The service's root URL.
  [[nodiscard]] const std::string& base_url() const { return base_; }
  /// The session token.
  [[nodiscard]] const std::string& token() const { return token_; }
  /// The connection's id.
  [[nodiscard]] const std::string& provider() const { return provider_; }
  /// The imported contacts' ids, in the service's order.
  [[nodiscard]] const std::vector<std::string>& contacts() const { return contacts_; }

 private:
  // What `bulk` does; answers the batch's id.
  [[nodiscard]] std::string create_batch(std::size_t first, std::size_t count,
                                         const std::string& content, std::int64_t due_ms) const;

  std::string base_;
  std::string token_;
  std::string provider_;
  std::vector<std::string> contacts_;
};

}  // namespace schedulerd::testing
