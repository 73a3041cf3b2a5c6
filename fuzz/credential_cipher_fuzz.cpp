// libFuzzer harness: domain::credential_cipher and the base64 codecs under it. Arbitrary text must
// never open (nor crash the reader), and anything sealed must open to itself, under its own
// context only.
#include "domain/base64.hpp"
#include "domain/credential_cipher.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool holds) {
  if (!holds) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace schedulerd::domain;
  static const credential_cipher cipher{std::string(32, 'c'), {std::string(32, 'p')}};
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  check(!cipher.open(text, "fuzz"));
  const auto sealed = cipher.seal(text, "fuzz");
  check(cipher.open(sealed, "fuzz") == std::string{text});
  check(!cipher.open(sealed, "fuzz2"));
  check(!cipher.is_stale(sealed));

  check(base64_decode(base64_encode(text)) == std::string{text});
  check(base64url_decode(base64url_encode(text)) == std::string{text});
  if (const auto decoded = base64url_decode(text)) {
    check(base64url_decode(base64url_encode(*decoded)) == *decoded);
  }
  return 0;
}
