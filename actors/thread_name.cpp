#include "actors/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace schedulerd::actors {

namespace {

// Linux keeps 16 bytes of a thread's name, its terminating NUL included.
constexpr std::size_t thread_name_limit = 15;

}  // namespace

void name_this_thread(std::string_view pool) {
  const auto dot = pool.rfind('.');
  const auto last = dot == std::string_view::npos ? pool : pool.substr(dot + 1);
  const std::string name{last.substr(0, thread_name_limit)};
  // A name the kernel refuses leaves the thread as it was: nothing depends on it.
  static_cast<void>(pthread_setname_np(pthread_self(), name.c_str()));
}

}  // namespace schedulerd::actors
