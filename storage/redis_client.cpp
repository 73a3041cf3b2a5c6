#include "storage/redis_client.hpp"

#include "config/urls.hpp"

#include <hiredis/hiredis.h>

#include <sys/time.h>

namespace schedulerd::storage {

namespace {

using reply_ptr = std::unique_ptr<redisReply, void (*)(void*)>;

reply_ptr no_reply() {
  return {nullptr, freeReplyObject};
}

timeval to_timeval(std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(timeout.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((timeout.count() % 1000) * 1000);
  return tv;
}

// Reads the next reply of a pipeline; null when the connection failed.
reply_ptr next_reply(redisContext* context) {
  void* raw = nullptr;
  if (redisGetReply(context, &raw) != REDIS_OK || raw == nullptr) {
    return no_reply();
  }
  return {static_cast<redisReply*>(raw), freeReplyObject};
}

bool is_status(const reply_ptr& reply, const std::string& text) {
  return reply && reply->type == REDIS_REPLY_STATUS && std::string(reply->str, reply->len) == text;
}

bool is_integer(const redisReply* reply) {
  return reply != nullptr && reply->type == REDIS_REPLY_INTEGER;
}

}  // namespace

redis_client::redis_client(std::string url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), timeout_(timeout), context_(nullptr, redisFree) {
  reconnect();
}

bool redis_client::reconnect() {
  mark_broken();
  auto endpoint = config::parse_redis_url(url_);
  if (!endpoint) {
    return false;
  }
  context_ptr context{
      redisConnectWithTimeout(endpoint->host.c_str(), endpoint->port, to_timeval(timeout_)),
      redisFree};
  if (!context || context->err != 0 ||
      redisSetTimeout(context.get(), to_timeval(timeout_)) != REDIS_OK) {
    return false;
  }
  if (endpoint->db != 0) {
    reply_ptr selected{
        static_cast<redisReply*>(redisCommand(context.get(), "SELECT %d", endpoint->db)),
        freeReplyObject};
    if (!is_status(selected, "OK")) {
      return false;
    }
  }
  context_ = std::move(context);
  return true;
}

bool redis_client::ping() {
  if (broken()) {
    return false;
  }
  reply_ptr pong{static_cast<redisReply*>(redisCommand(context_.get(), "PING")), freeReplyObject};
  if (!is_status(pong, "PONG")) {
    mark_broken();
    return false;
  }
  return true;
}

std::optional<std::pair<std::int64_t, std::int64_t>> redis_client::increment_window(
    const std::string& key, int window_s) {
  if (broken()) {
    return std::nullopt;
  }
  auto full_key = rate_key_prefix + key;
  auto* context = context_.get();
  // One round trip: the transaction makes INCR and the first EXPIRE atomic across nodes, and NX
  // keeps later requests from pushing the window's end out.
  redisAppendCommand(context, "MULTI");
  redisAppendCommand(context, "INCR %b", full_key.data(), full_key.size());
  redisAppendCommand(context, "EXPIRE %b %d NX", full_key.data(), full_key.size(), window_s);
  redisAppendCommand(context, "TTL %b", full_key.data(), full_key.size());
  redisAppendCommand(context, "EXEC");
  bool queued = is_status(next_reply(context), "OK");
  for (int i = 0; i < 3; ++i) {
    queued = is_status(next_reply(context), "QUEUED") && queued;
  }
  auto result = next_reply(context);
  if (!queued || !result || result->type != REDIS_REPLY_ARRAY || result->elements != 3 ||
      !is_integer(result->element[0]) || !is_integer(result->element[2])) {
    mark_broken();
    return std::nullopt;
  }
  return std::make_pair(static_cast<std::int64_t>(result->element[0]->integer),
                        static_cast<std::int64_t>(result->element[2]->integer));
}

std::optional<bool> redis_client::decrement_window(const std::string& key) {
  if (broken()) {
    return std::nullopt;
  }
  auto full_key = rate_key_prefix + key;
  // A plain DECR on a key that just expired would create it at -1 with no time-to-live.
  static constexpr const char* script =
      "local n = tonumber(redis.call('GET', KEYS[1]) or '0') "
      "if n > 0 then redis.call('DECR', KEYS[1]) return 1 end return 0";
  reply_ptr reply{static_cast<redisReply*>(redisCommand(context_.get(), "EVAL %s 1 %b", script,
                                                        full_key.data(), full_key.size())),
                  freeReplyObject};
  if (!is_integer(reply.get())) {
    mark_broken();
    return std::nullopt;
  }
  return reply->integer == 1;
}

}  // namespace schedulerd::storage
