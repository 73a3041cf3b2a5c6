#include "domain/passwords.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace domain = schedulerd::domain;

namespace {

// Far below production costs so the suite stays fast; the algorithm is the same.
const domain::argon2_params fast{1024, 1, 1};

}  // namespace

TEST_CASE("a hashed password verifies and a wrong one does not", "[domain]") {
  const auto hash = domain::hash_password("correct horse battery", fast);
  CHECK(hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0) == 0);
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(domain::verify_password(hash, "correct horse battery"));
  CHECK_FALSE(domain::verify_password(hash, "correct horse batterY"));
  CHECK_FALSE(domain::verify_password(hash, "correct horse battery "));
  CHECK_FALSE(domain::verify_password(hash, ""));
}

TEST_CASE("the same password hashes differently each time because of the salt", "[domain]") {
  const auto first = domain::hash_password("correct horse battery", fast);
  const auto second = domain::hash_password("correct horse battery", fast);
  CHECK(first != second);
  CHECK(domain::verify_password(second, "correct horse battery"));
}

TEST_CASE("multibyte passwords round-trip byte for byte", "[domain]") {
  const std::string password = "p\xC3\xA4ssw\xC3\xB6rd \xF0\x9F\x94\x91";
  const auto hash = domain::hash_password(password, fast);
  CHECK(domain::verify_password(hash, password));
  CHECK_FALSE(domain::verify_password(hash, "passw\xC3\xB6rd \xF0\x9F\x94\x91"));
}

TEST_CASE("a malformed or foreign hash never verifies", "[domain]") {
  const auto good = domain::hash_password("correct horse battery", fast);
  const std::string argon2i = "$argon2i" + good.substr(std::string("$argon2id").size());
  for (const auto& hash : std::vector<std::string>{
           "", "not a hash", "$argon2id$", good.substr(0, good.size() - 5), good + "AAAA", argon2i,
           "$2y$10$abcdefghijklmnopqrstuuJ7s1xXz3K2c6iJr3m0n9O7o1y5q1f6a",
           "correct horse battery"}) {
    CAPTURE(hash);
    CHECK_FALSE(domain::verify_password(hash, "correct horse battery"));
  }
}

TEST_CASE("a hash made under older costs still verifies after the costs change", "[domain]") {
  // Operators raise ARGON2_* over time; a hash carries its own costs, so old accounts still work.
  const auto old_hash = domain::hash_password("correct horse battery", {2048, 2, 1});
  CHECK(old_hash.rfind("$argon2id$v=19$m=2048,t=2,p=1$", 0) == 0);
  CHECK(domain::verify_password(old_hash, "correct horse battery"));
  CHECK_FALSE(domain::verify_password(old_hash, "correct horse batterY"));
}

TEST_CASE("a dummy verification runs under the costs a real hash accepts", "[domain]") {
  // It throws whenever argon2 refuses to run, so returning means the hash was computed.
  CHECK_NOTHROW(domain::verify_against_dummy("whatever", fast));
  CHECK_NOTHROW(domain::verify_against_dummy("", fast));
}

TEST_CASE("impossible argon2 parameters are reported, not silently weakened", "[domain]") {
  // 1 KiB is below argon2's floor of 8 KiB per lane; libargon2 refuses before doing any work.
  const domain::argon2_params impossible{1, 1, 1};
  CHECK_THROWS_WITH(domain::hash_password("correct horse battery", impossible),
                    Catch::Contains("Memory cost is too small"));
  // A dummy that returned at once would answer an unknown email faster than a wrong password.
  CHECK_THROWS_WITH(domain::verify_against_dummy("correct horse battery", impossible),
                    Catch::Contains("Memory cost is too small"));
  CHECK_THROWS_AS(domain::verify_against_dummy("correct horse battery", {1024, 0, 1}),
                  std::runtime_error);
}
