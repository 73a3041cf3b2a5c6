#include "http/routes/admin_stream.hpp"

#include "domain/request_timeouts.hpp"
#include "http/json/snapshot_json.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace schedulerd::http {

namespace {

// Seconds a client over its cap should wait: about the time a closed tab takes to be noticed.
constexpr const char* retry_after_seconds = "5";

std::string snapshot_frame(const actors::engine_snapshot& snapshot) {
  std::string frame = "event: snapshot\ndata: ";
  // One line: JSON escapes every newline inside strings.
  frame += snapshot_json(snapshot).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  frame += "\n\n";
  return frame;
}

// What the producer and the server's side share: frames made before the server started the body
// wait here (only the latest), then go straight to the sink.
class frame_channel {
 public:
  explicit frame_channel(std::string first) : pending_(std::move(first)) {}

  void attach(std::shared_ptr<stream_sink> sink) {
    std::lock_guard<std::mutex> guard{mutex_};
    sink_ = std::move(sink);
    if (!pending_.empty()) {
      sink_->write(std::exchange(pending_, {}));
    }
    if (closed_) {
      sink_->close();
    }
  }

  // False once the client has gone: the producer stops.
  bool send(std::string frame) {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!sink_) {
      pending_ = std::move(frame);
      return true;
    }
    return sink_->write(std::move(frame));
  }

  // Ends the stream, at once or (before the server started it) right after its first frame.
  void close() {
    std::lock_guard<std::mutex> guard{mutex_};
    closed_ = true;
    if (sink_) {
      sink_->close();
    }
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<stream_sink> sink_;
  std::string pending_;
  bool closed_ = false;
};

struct producer_state {
  std::shared_ptr<frame_channel> channel;
  std::shared_ptr<const void> slot;
  bool asking = false;
};

// Asks for a snapshot every `every` (skipping a beat while one is still on its way) and sends it;
// stops when the client has gone, or the user is no longer an admin (the stream then ends).
caf::behavior snapshot_producer(caf::stateful_actor<producer_state>* self,
                                services::admin_actor admin, std::int64_t user_id,
                                std::shared_ptr<frame_channel> channel,
                                std::shared_ptr<const void> slot, std::chrono::milliseconds every) {
  self->state.channel = std::move(channel);
  self->state.slot = std::move(slot);
  self->delayed_send(self, every, tick_atom::value);
  return {
      [self, admin = std::move(admin), user_id, every](tick_atom) {
        self->delayed_send(self, every, tick_atom::value);
        if (self->state.asking) {
          return;
        }
        self->state.asking = true;
        self->request(admin, domain::service_timeout, get_atom::value, report_atom::value, user_id)
            .then(
                [self](const actors::engine_snapshot& snapshot) {
                  self->state.asking = false;
                  if (!self->state.channel->send(snapshot_frame(snapshot))) {
                    self->quit();
                  }
                },
                [self](caf::error& err) {
                  self->state.asking = false;
                  if (describe(err).code == errc::forbidden) {
                    self->state.channel->close();
                    self->quit();
                  } else if (!self->state.channel->send(": snapshot unavailable\n\n")) {
                    // A late snapshot is skipped; the comment still tells whether the client is
                    // there.
                    self->quit();
                  }
                });
      },
  };
}

// The body the server starts; dropping it (the client left, the server stops) stops the producer.
class snapshot_stream final : public body_stream {
 public:
  snapshot_stream(std::shared_ptr<frame_channel> channel, caf::actor producer)
      : channel_(std::move(channel)), producer_(std::move(producer)) {}

  snapshot_stream(const snapshot_stream&) = delete;
  snapshot_stream& operator=(const snapshot_stream&) = delete;
  snapshot_stream(snapshot_stream&&) = delete;
  snapshot_stream& operator=(snapshot_stream&&) = delete;

  ~snapshot_stream() override { caf::anon_send_exit(producer_, caf::exit_reason::user_shutdown); }

  void start(std::shared_ptr<stream_sink> sink) override { channel_->attach(std::move(sink)); }

 private:
  std::shared_ptr<frame_channel> channel_;
  caf::actor producer_;
};

}  // namespace

std::variant<std::shared_ptr<const void>, response> stream_counter::acquire(std::int64_t user_id) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto& mine = per_user_[user_id];
  if (mine >= caps_.per_user) {
    auto refused = error_response(errc::rate_limited, "Too many open console streams.");
    refused.set_header("retry-after", retry_after_seconds);
    return refused;
  }
  if (total_ >= caps_.total) {
    auto refused = error_response(errc::unavailable, "Too many open console streams.");
    refused.set_header("retry-after", retry_after_seconds);
    return refused;
  }
  ++mine;
  ++total_;
  return std::shared_ptr<const void>{
      nullptr, [self = shared_from_this(), user_id](const void*) { self->release(user_id); }};
}

void stream_counter::release(std::int64_t user_id) noexcept {
  std::lock_guard<std::mutex> guard{mutex_};
  --total_;
  if (--per_user_[user_id] == 0) {
    per_user_.erase(user_id);
  }
}

response admin_stream_response(caf::actor_system& system, const services::admin_actor& admin,
                               std::int64_t user_id, const actors::engine_snapshot& first,
                               std::shared_ptr<const void> slot, std::chrono::milliseconds every) {
  auto channel = std::make_shared<frame_channel>(snapshot_frame(first));
  auto producer = system.spawn(snapshot_producer, admin, user_id, channel, std::move(slot), every);
  response out;
  out.headers.emplace_back("content-type", "text/event-stream; charset=utf-8");
  out.headers.emplace_back("cache-control", "no-store");
  // Proxies such as nginx would otherwise hold the frames back.
  out.headers.emplace_back("x-accel-buffering", "no");
  out.stream = std::make_shared<snapshot_stream>(std::move(channel), std::move(producer));
  return out;
}

}  // namespace schedulerd::http
