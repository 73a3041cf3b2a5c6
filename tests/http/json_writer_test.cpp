#include "http/json/json_writer.hpp"
#include "http/json/messages_json.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

using namespace schedulerd;

namespace {

// How nlohmann::json writes `text` in an answer: the encoding the writer must match byte for byte.
std::string dumped_by_nlohmann(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written_by_writer(const std::string& text) {
  std::string out;
  http::append_json_string(out, text);
  return out;
}

}  // namespace

TEST_CASE("the writer escapes strings and replaces invalid UTF-8 exactly as nlohmann::json does",
          "[http][json]") {
  const std::vector<std::string> edges = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      std::string("\x00\x01\x07\x08\x09\x0a\x0b\x0c\x0d\x1f\x7f", 11),
      "ação, 日本語, emoji \xF0\x9F\x98\x80",
      "\x80",              // a continuation byte alone
      "\xC0\xAF",          // an overlong '/'
      "\xE0\x80\xAF",      // an overlong three-byte form
      "\xED\xA0\x80",      // a UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // a lead byte that never starts a sequence
      "\xFF\xFE",          // bytes UTF-8 never uses
      "cut \xE6\x97",      // a sequence cut by the end
      "cut \xE6\x97 mid",  // a sequence cut by an ASCII byte
      "\xF0\x9F\x98",      // four bytes missing their last
      "\xC3\xC3\xA7",      // a lead byte breaking another sequence
  };
  for (const auto& text : edges) {
    INFO(nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
    CHECK(written_by_writer(text) == dumped_by_nlohmann(text));
  }

  // Random byte strings, most bytes drawn from the ranges where UTF-8 can go wrong.
  std::mt19937 random{20'261'202};  // NOLINT(cert-msc51-cpp): a failure must replay
  std::uniform_int_distribution<int> length(0, 12);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> high_byte(0x80, 0xFF);
  std::uniform_int_distribution<int> coin(0, 2);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int i = length(random); i > 0; --i) {
      text += static_cast<char>(coin(random) == 0 ? any_byte(random) : high_byte(random));
    }
    if (written_by_writer(text) != dumped_by_nlohmann(text)) {
      INFO(nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
      CHECK(written_by_writer(text) == dumped_by_nlohmann(text));
      break;
    }
  }
}

TEST_CASE("the writer places commas between values at every depth", "[http][json]") {
  http::json_writer out;
  out.begin_object();
  out.key("empty").begin_object().end_object();
  out.key("list").begin_array();
  out.number(-1).boolean(true).null().string("x");
  out.begin_array().end_array();
  out.begin_object().key("k").id(42).end_object();
  out.end_array();
  out.key("missing").optional_id(std::nullopt);
  out.key("at").optional_time(std::int64_t{0});
  out.key("doc").document({{"a", 1}});
  out.end_object();
  const auto text = out.take();
  CHECK(text == R"({"empty":{},"list":[-1,true,null,"x",[],{"k":"42"}],"missing":null,)"
                R"("at":"1970-01-01T00:00:00.000Z","doc":{"a":1}})");
  CHECK(out.take().empty());
}

TEST_CASE("a message is written as the contract shows it, stored bad bytes included",
          "[http][json]") {
  domain::message_record message;
  message.id = 7;
  message.provider_id = 3;
  message.contact = {11, "Ana", std::nullopt};
  message.content = "oi \xFF";
  message.send_at = 1000;
  message.status = "pending";
  message.created_at = 2000;
  message.updated_at = 3000;
  http::json_writer out;
  http::write_message(out, message);
  const auto body = nlohmann::json::parse(out.take());
  CHECK(body == nlohmann::json{{"id", "7"},
                               {"provider_id", "3"},
                               {"contact", {{"id", "11"}, {"name", "Ana"}, {"phone", nullptr}}},
                               {"batch_id", nullptr},
                               {"content", "oi \xEF\xBF\xBD"},
                               {"send_at", "1970-01-01T00:00:01.000Z"},
                               {"status", "pending"},
                               {"attempts", 0},
                               {"last_error", nullptr},
                               {"provider_message_id", nullptr},
                               {"sent_at", nullptr},
                               {"created_at", "1970-01-01T00:00:02.000Z"},
                               {"updated_at", "1970-01-01T00:00:03.000Z"}});
}
