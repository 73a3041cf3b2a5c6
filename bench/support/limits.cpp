#include "bench/support/limits.hpp"

#include "bench/support/cpu_sampler.hpp"
#include "domain/clock.hpp"
#include "providers/http_client.hpp"
#include "storage/dispatch_store.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace schedulerd::bench {

sql_loop_result run_sql_loop(const testing::test_database& database) {
  auto db = database.connect();
  const auto now = domain::system_now_ms();
  db->execute(
      "UPDATE scheduled_messages SET status = 'pending', attempts = 0, next_attempt_at = $1,"
      " lease_owner = NULL, lease_expires_at = NULL, sent_at = NULL, provider_message_id = NULL"
      " WHERE status = 'sent'",
      {storage::value{now}});
  sql_loop_result result;
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    const auto at = domain::system_now_ms();
    const auto claimed = storage::claim_due(*db, "bench-sql-loop", at, at + 60000, 500);
    if (claimed.empty()) break;
    std::vector<domain::attempt_result> outcomes;
    outcomes.reserve(claimed.size());
    for (const auto& claim : claimed) {
      domain::attempt_result sent;
      sent.claim = claim;
      sent.outcome = domain::attempt_outcome::sent;
      sent.finished_at = at;
      sent.http_status = 201;
      sent.provider_message_id = std::to_string(claim.id);
      outcomes.push_back(std::move(sent));
    }
    const auto recording = std::chrono::steady_clock::now();
    storage::record_attempts(*db, "bench-sql-loop", outcomes);
    result.record_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - recording)
            .count();
    result.messages += static_cast<std::int64_t>(claimed.size());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.per_second = static_cast<double>(result.messages) / std::max(seconds, 1e-6);
  return result;
}

namespace {

constexpr long curl_loop_connections = 50;

std::size_t discard_body(char* /*data*/, std::size_t size, std::size_t count, void* /*unused*/) {
  return size * count;
}

}  // namespace

curl_loop_result run_curl_loop(fake_provider& provider, std::int64_t posts) {
  providers::init_http_client();
  const std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi{curl_multi_init(),
                                                                    &curl_multi_cleanup};
  const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers{
      curl_slist_append(nullptr, "Content-Type: application/json"), &curl_slist_free_all};
  const auto url = provider.sample_send_url();
  const auto body = fake_provider::sample_send_body();
  curl_loop_result result;
  std::int64_t started = 0;
  const auto start_post = [&](CURL* handle) {
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &discard_body);
    curl_multi_add_handle(multi.get(), handle);
    ++started;
  };
  std::vector<std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>> handles;
  const auto cpu_before = own_cpu_ms();
  const auto client_cpu_before = thread_cpu_ms();
  const auto before = std::chrono::steady_clock::now();
  for (long i = 0; i < curl_loop_connections && started < posts; ++i) {
    handles.emplace_back(curl_easy_init(), &curl_easy_cleanup);
    start_post(handles.back().get());
  }
  const auto give_up = before + std::chrono::seconds{60};
  while (result.posts < started && std::chrono::steady_clock::now() < give_up) {
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* handle = message->easy_handle;
      long status = 0;
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
      ++result.posts;
      if (message->data.result != CURLE_OK || status < 200 || status >= 300) ++result.failed;
      curl_multi_remove_handle(multi.get(), handle);
      if (started < posts) start_post(handle);
    }
    if (result.posts < started) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
  }
  result.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before).count();
  result.cpu_ms = own_cpu_ms() - cpu_before;
  result.client_cpu_ms = thread_cpu_ms() - client_cpu_before;
  for (auto& handle : handles) curl_multi_remove_handle(multi.get(), handle.get());
  provider.reset();
  return result;
}

wrk_result provider_capacity(fake_provider& provider, std::chrono::seconds duration) {
  auto result = run_wrk({"POST",
                         provider.sample_send_url(),
                         {{"Content-Type", "application/json"}},
                         fake_provider::sample_send_body()},
                        50, duration);
  provider.reset();
  return result;
}

}  // namespace schedulerd::bench
