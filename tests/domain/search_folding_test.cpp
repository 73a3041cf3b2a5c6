#include "domain/search_folding.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace domain = schedulerd::domain;

TEST_CASE("folding lower-cases ASCII and leaves digits and punctuation alone",
          "[domain][search_folding]") {
  CHECK(domain::fold_for_search("").empty());
  CHECK(domain::fold_for_search("Ada LOVELACE") == "ada lovelace");
  CHECK(domain::fold_for_search("Grace.Hopper+1@Example.COM") == "grace.hopper+1@example.com");
  CHECK(domain::fold_for_search("+55 (11) 98765-4321") == "+55 (11) 98765-4321");
  CHECK(domain::fold_for_search("100% _done_ \\ [x]") == "100% _done_ \\ [x]");
}

TEST_CASE("folding strips the accents of Latin-1 letters in either case",
          "[domain][search_folding]") {
  CHECK(domain::fold_for_search("Jos\xC3\xA9") == "jose");  // José
  CHECK(domain::fold_for_search("JOS\xC3\x89") == "jose");  // JOSÉ
  CHECK(domain::fold_for_search("\xC3\xA1\xC3\xA0\xC3\xA2\xC3\xA3\xC3\xA4\xC3\xA5") == "aaaaaa");
  CHECK(domain::fold_for_search("\xC3\xA7\xC3\x87") == "cc");  // ç Ç
  CHECK(domain::fold_for_search("\xC3\xA9\xC3\xAA\xC3\xAB") == "eee");
  CHECK(domain::fold_for_search("\xC3\xAD\xC3\xAF") == "ii");  // í ï
  CHECK(domain::fold_for_search("Pe\xC3\xB1"
                                "a") == "pena");  // Peña
  CHECK(domain::fold_for_search("\xC3\xB3\xC3\xB4\xC3\xB5\xC3\xB6") == "oooo");
  CHECK(domain::fold_for_search("\xC3\xBA\xC3\xBC\xC3\xBD\xC3\xBF") == "uuyy");
  CHECK(domain::fold_for_search("Stra\xC3\x9F"
                                "e") == "strasse");          // Straße
  CHECK(domain::fold_for_search("\xC3\x86gir") == "aegir");  // Ægir
  CHECK(domain::fold_for_search("\xC3\x98"
                                "ystein") == "oystein");  // Øystein
  CHECK(domain::fold_for_search("\xC3\x9E"
                                "ora") == "thora");  // Þora
}

TEST_CASE("folding strips the accents of Latin Extended-A letters", "[domain][search_folding]") {
  CHECK(domain::fold_for_search("\xC5\x81\xC3\xB3"
                                "d\xC5\xBA") == "lodz");                 // Łódź
  CHECK(domain::fold_for_search("\xC5\x92uvre") == "oeuvre");            // Œuvre
  CHECK(domain::fold_for_search("Dvo\xC5\x99\xC3\xA1k") == "dvorak");    // Dvořák
  CHECK(domain::fold_for_search("\xC4\xB0stanbul") == "istanbul");       // İstanbul
  CHECK(domain::fold_for_search("\xC5\xA0koda \xC5\xBD") == "skoda z");  // Škoda Ž
  CHECK(domain::fold_for_search("\xC4\x90\xC4\x91") == "dd");            // Đđ
  CHECK(domain::fold_for_search("\xC4\xB2\xC5\x93") == "ijoe");          // Ĳœ
  CHECK(domain::fold_for_search("Gy\xC5\x91r") == "gyor");               // Győr
  CHECK(domain::fold_for_search("\xC8\x98"
                                "tef\xC4\x83n") == "stefan");  // Ștefan
}

TEST_CASE("folding drops combining accents, so decomposed text matches composed text",
          "[domain][search_folding]") {
  CHECK(domain::fold_for_search("Jose\xCC\x81") == "jose");  // e + U+0301
  CHECK(domain::fold_for_search("Jose\xCC\x81") == domain::fold_for_search("Jos\xC3\xA9"));
}

TEST_CASE("folding keeps the letters of other scripts and symbols as they are",
          "[domain][search_folding]") {
  CHECK(domain::fold_for_search("\xC3\x97\xC3\xB7") == "\xC3\x97\xC3\xB7");  // × ÷
  CHECK(domain::fold_for_search("\xD0\x9C\xD0\xB0\xD1\x88\xD0\xB0") ==
        "\xD0\x9C\xD0\xB0\xD1\x88\xD0\xB0");  // Маша
  CHECK(domain::fold_for_search("\xE6\x9D\xB1\xE4\xBA\xAC") == "\xE6\x9D\xB1\xE4\xBA\xAC");
  CHECK(domain::fold_for_search("OK \xF0\x9F\x91\x8D") == "ok \xF0\x9F\x91\x8D");  // 👍
}

TEST_CASE("folding turns ill-formed bytes into U+FFFD and never fails",
          "[domain][search_folding]") {
  const std::string replacement = "\xEF\xBF\xBD";
  CHECK(domain::fold_for_search("A\xFF"
                                "B") == "a" + replacement + "b");
  CHECK(domain::fold_for_search("Jos\xC3") == "jos" + replacement);         // cut in half
  CHECK(domain::fold_for_search("\xC0\xAF") == replacement + replacement);  // overlong
  CHECK(domain::fold_for_search("\xED\xA0\x80") == replacement + replacement + replacement);
}

TEST_CASE("a phone query is digits with phone punctuation and at least one digit",
          "[domain][search_folding]") {
  CHECK(domain::is_phone_query("+55 (11) 9"));
  CHECK(domain::is_phone_query("98765-4321"));
  CHECK(domain::is_phone_query("5"));
  CHECK_FALSE(domain::is_phone_query(""));
  CHECK_FALSE(domain::is_phone_query("+ ( ) -"));
  CHECK_FALSE(domain::is_phone_query("ana 55"));
  CHECK_FALSE(domain::is_phone_query("55.11"));
  CHECK(domain::digits_of("+55 (11) 98765-4321") == "5511987654321");
  CHECK(domain::digits_of("no digits").empty());
}

TEST_CASE("a contact's search text holds its folded fields and its phone's digits",
          "[domain][search_folding]") {
  CHECK(domain::contact_search_text("Jos\xC3\xA9 Silva", "Jose@Example.com", "+55 (11) 9876") ==
        "jose silva\njose@example.com\n+55 (11) 9876\n55119876");
  CHECK(domain::contact_search_text("Ana", "", "") == "ana\n\n\n");
}

TEST_CASE("a Brazilian mobile's search text holds its number in both forms",
          "[domain][search_folding]") {
  CHECK(domain::contact_search_text("Ana", "", "+55 62 98765-4321") ==
        "ana\n\n+55 62 98765-4321\n5562987654321\n556287654321");
  CHECK(domain::contact_search_text("Ana", "", "556287654321") ==
        "ana\n\n556287654321\n556287654321\n5562987654321");
}
