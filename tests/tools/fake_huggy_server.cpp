// The tests' fake Huggy as a program, for checks that run the service outside the test binary
// (the container stage of `make check`): serves on a free loopback port until SIGTERM or SIGINT.
// Prints `fake_huggy api=URL auth=URL token=TOKEN` first, then `delivered N` whenever the count
// of accepted texts changes.
//   fake_huggy_server [CONTACT_COUNT]

#include "tests/support/fake_huggy.hpp"

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>

int main(int argc, char** argv) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  // Blocked before the server's threads start, so they inherit the mask and sigtimedwait gets it.
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  schedulerd::testing::fake_huggy huggy;
  if (argc > 1) {
    huggy.set_contact_count(std::strtoll(argv[1], nullptr, 10));
  }
  std::cout << "fake_huggy api=" << huggy.api_base_url() << " auth=" << huggy.auth_base_url()
            << " token=" << schedulerd::testing::fake_huggy::access_token << std::endl;
  std::size_t reported = 0;
  const timespec poll{0, 100'000'000};
  while (sigtimedwait(&stop, nullptr, &poll) < 0) {
    if (const auto delivered = huggy.delivered(); delivered != reported) {
      reported = delivered;
      std::cout << "delivered " << delivered << std::endl;
    }
  }
  return 0;
}
