#include "storage/redis_client.hpp"

#include "config/urls.hpp"

#include <hiredis/hiredis.h>

#include <sys/time.h>

#include <array>
#include <charconv>

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

// A number as Lua reads it back exactly (shortest round-trip form).
std::string exact_number(double value) {
  std::array<char, 32> text{};
  auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} ? std::string(text.data(), end) : std::string{"0"};
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
  auto counted = increment_windows({{key, window_s}});
  if (!counted) {
    return std::nullopt;
  }
  return counted->front();
}

std::optional<std::vector<std::pair<std::int64_t, std::int64_t>>> redis_client::increment_windows(
    const std::vector<window_increment>& increments) {
  if (broken()) {
    return std::nullopt;
  }
  if (increments.empty()) {
    return std::vector<std::pair<std::int64_t, std::int64_t>>{};
  }
  auto* context = context_.get();
  // One round trip for them all: the transaction makes each INCR and its first EXPIRE atomic
  // across nodes, and NX keeps later requests from pushing a window's end out.
  redisAppendCommand(context, "MULTI");
  for (const auto& [key, window_s] : increments) {
    const auto full_key = rate_key_prefix + key;
    redisAppendCommand(context, "INCR %b", full_key.data(), full_key.size());
    redisAppendCommand(context, "EXPIRE %b %d NX", full_key.data(), full_key.size(), window_s);
    redisAppendCommand(context, "TTL %b", full_key.data(), full_key.size());
  }
  redisAppendCommand(context, "EXEC");
  bool queued = is_status(next_reply(context), "OK");
  for (std::size_t i = 0; i < 3 * increments.size(); ++i) {
    queued = is_status(next_reply(context), "QUEUED") && queued;
  }
  auto result = next_reply(context);
  if (!queued || !result || result->type != REDIS_REPLY_ARRAY ||
      result->elements != 3 * increments.size()) {
    mark_broken();
    return std::nullopt;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> counted;
  counted.reserve(increments.size());
  for (std::size_t i = 0; i < increments.size(); ++i) {
    const auto* count = result->element[3 * i];
    const auto* seconds_left = result->element[(3 * i) + 2];
    if (!is_integer(count) || !is_integer(seconds_left)) {
      mark_broken();
      return std::nullopt;
    }
    counted.emplace_back(static_cast<std::int64_t>(count->integer),
                         static_cast<std::int64_t>(seconds_left->integer));
  }
  return counted;
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

std::optional<token_grant> redis_client::take_tokens(const std::string& key, double rate_per_second,
                                                     double burst, std::int64_t want) {
  if (broken()) {
    return std::nullopt;
  }
  auto full_key = send_rate_key_prefix + key;
  // One script, so the read, the refill and the take are one step across nodes. The server's
  // TIME (allowed before writes since Redis 5's effect replication) is the one clock they share.
  static constexpr const char* script =
      "local t = redis.call('TIME') "
      "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
      "local rate = tonumber(ARGV[1]) / 1000 local burst = tonumber(ARGV[2]) "
      "local want = tonumber(ARGV[3]) "
      "local held = redis.call('HMGET', KEYS[1], 'tokens', 'at') "
      "local tokens = tonumber(held[1]) or burst local at = tonumber(held[2]) or now "
      "if now > at then tokens = math.min(burst, tokens + (now - at) * rate) at = now end "
      "local granted = math.max(0, math.min(want, math.floor(tokens))) "
      "tokens = tokens - granted "
      "redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at)) "
      "redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000) "
      "local wait = 0 "
      "if granted == 0 then wait = math.max(1, math.ceil((1 - tokens) / rate)) end "
      "return {granted, wait}";
  const auto rate = exact_number(rate_per_second);
  const auto size = exact_number(burst);
  const auto wanted = std::to_string(want);
  reply_ptr reply{
      static_cast<redisReply*>(redisCommand(
          context_.get(), "EVAL %s 1 %b %b %b %b", script, full_key.data(), full_key.size(),
          rate.data(), rate.size(), size.data(), size.size(), wanted.data(), wanted.size())),
      freeReplyObject};
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      !is_integer(reply->element[0]) || !is_integer(reply->element[1])) {
    mark_broken();
    return std::nullopt;
  }
  return token_grant{static_cast<std::int64_t>(reply->element[0]->integer),
                     static_cast<std::int64_t>(reply->element[1]->integer)};
}

}  // namespace schedulerd::storage
