#include "providers/credential_codec.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace domain = schedulerd::domain;
namespace providers = schedulerd::providers;

namespace {

const std::string old_key(32, 'o');
const std::string new_key(32, 'n');

const domain::field_values huggy_credentials{{"access_token", "eyJhbGciOi.payload.sig-9f3a"},
                                             {"refresh_token", "def50200aa11bb22"}};

}  // namespace

TEST_CASE("credentials sealed for a connection open only there", "[providers][crypto]") {
  const domain::credential_cipher cipher{new_key};
  const auto sealed = providers::seal_credentials(cipher, 42, huggy_credentials);
  // Pieces long enough that random ciphertext cannot contain them by chance (a three-letter
  // piece like "eyJ" turns up in about one sealing in two thousand).
  CHECK(sealed.find("eyJhbGciOi") == std::string::npos);
  CHECK(sealed.find("def50200aa11bb22") == std::string::npos);
  CHECK(sealed.find("access_token") == std::string::npos);
  CHECK(providers::open_credentials(cipher, 42, sealed) == huggy_credentials);
  // Copied to another connection's row, or read with the wrong key, they do not open.
  CHECK_FALSE(providers::open_credentials(cipher, 43, sealed));
  CHECK_FALSE(providers::open_credentials(domain::credential_cipher{old_key}, 42, sealed));
}

TEST_CASE("tampered credentials are rejected, not half-read", "[providers][crypto]") {
  const domain::credential_cipher cipher{new_key};
  auto sealed = providers::seal_credentials(cipher, 7, huggy_credentials);
  sealed[sealed.size() - 3] = sealed[sealed.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(providers::open_credentials(cipher, 7, sealed));
  // A value sealed by the cipher but not as credentials (not a JSON object of strings).
  CHECK_FALSE(providers::open_credentials(cipher, 7, cipher.seal("[1,2]", "provider:7")));
  CHECK_FALSE(providers::open_credentials(cipher, 7, cipher.seal(R"({"a":1})", "provider:7")));
}

TEST_CASE("credentials under a previous key still open after a key change", "[providers][crypto]") {
  const auto sealed =
      providers::seal_credentials(domain::credential_cipher{old_key}, 5, huggy_credentials);
  const domain::credential_cipher rotated{new_key, {old_key}};
  CHECK(providers::open_credentials(rotated, 5, sealed) == huggy_credentials);
  CHECK(rotated.is_stale(sealed));
}

TEST_CASE("a mask shows at most the last four characters of a long secret", "[providers][crypto]") {
  CHECK(providers::mask_secret("eyJhbGciOi.payload.sig-9f3a") == "\u2022\u2022\u2022\u20229f3a");
  // Short secrets show nothing: four of eight characters would give half away.
  CHECK(providers::mask_secret("abcdefgh") == "\u2022\u2022\u2022\u2022");
  CHECK(providers::mask_secret("") == "\u2022\u2022\u2022\u2022");
  // Multi-byte characters are never split.
  CHECK(providers::mask_secret("0123456789-\u00e9\u00e9\u00e9\u00e9") ==
        "\u2022\u2022\u2022\u2022\u00e9\u00e9\u00e9\u00e9");
}

TEST_CASE("masks cover the declared credential fields only", "[providers][crypto]") {
  providers::provider_type_info info;
  info.credential_fields = {{"access_token", "Access token", false, true, {}, ""},
                            {"client_id", "Client id", false, false, {}, ""}};
  auto credentials = huggy_credentials;
  credentials["expires_at"] = "1780000000000";
  const auto hint = providers::mask_credentials(info, credentials);
  CHECK(hint == domain::field_values{{"access_token", "\u2022\u2022\u2022\u20229f3a"}});
}
