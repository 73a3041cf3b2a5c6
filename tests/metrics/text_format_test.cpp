#include "metrics/text_format.hpp"
#include "metrics/process_status.hpp"
#include "metrics/sample.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace schedulerd;

TEST_CASE("label values escape backslash, double quote and newline and nothing else", "[metrics]") {
  CHECK(metrics::escape_label_value(R"(C:\dir "quoted")") == R"(C:\\dir \"quoted\")");
  CHECK(metrics::escape_label_value("two\nlines") == R"(two\nlines)");
  CHECK(metrics::escape_label_value("/api/scheduled-messages/{id}") ==
        "/api/scheduled-messages/{id}");
  CHECK(metrics::escape_label_value("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("help text escapes backslash and newline but keeps double quotes", "[metrics]") {
  CHECK(metrics::escape_help("say \"hi\"\\\nbye") == "say \"hi\"\\\\\\nbye");
}

TEST_CASE("sample values print as short decimals, infinities as +Inf and -Inf", "[metrics]") {
  CHECK(metrics::format_value(0) == "0");
  CHECK(metrics::format_value(42) == "42");
  CHECK(metrics::format_value(0.25) == "0.25");
  CHECK(metrics::format_value(-1.5) == "-1.5");
  CHECK(metrics::format_value(1e21) == "1e+21");
  CHECK(metrics::format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(metrics::format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(metrics::format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("metric and label names follow Prometheus' grammar", "[metrics]") {
  CHECK(metrics::is_metric_name("schedulerd_http_requests_total"));
  CHECK(metrics::is_metric_name("job:rate5m"));
  CHECK_FALSE(metrics::is_metric_name("2xx"));
  CHECK_FALSE(metrics::is_metric_name("has-dash"));
  CHECK_FALSE(metrics::is_metric_name(""));
  CHECK(metrics::is_label_name("route"));
  CHECK_FALSE(metrics::is_label_name("a:b"));
  CHECK_FALSE(metrics::is_label_name("__reserved"));
}

TEST_CASE("a family renders its HELP and TYPE lines, then one line per sample", "[metrics]") {
  auto messages = metrics::make_family("schedulerd_messages", "Messages by status.\nSecond line.",
                                       metrics::metric_type::gauge);
  metrics::add_sample(messages, {{"status", "pending"}}, 3);
  metrics::add_sample(messages, {{"status", "odd \"one\""}, {"path", "a\\b"}}, 0.5);
  auto uptime =
      metrics::make_family("schedulerd_uptime_seconds", "Up.", metrics::metric_type::counter);
  metrics::add_sample(uptime, {}, 7);

  CHECK(metrics::render({messages, uptime}) ==
        "# HELP schedulerd_messages Messages by status.\\nSecond line.\n"
        "# TYPE schedulerd_messages gauge\n"
        "schedulerd_messages{status=\"pending\"} 3\n"
        "schedulerd_messages{status=\"odd \\\"one\\\"\",path=\"a\\\\b\"} 0.5\n"
        "# HELP schedulerd_uptime_seconds Up.\n"
        "# TYPE schedulerd_uptime_seconds counter\n"
        "schedulerd_uptime_seconds 7\n");
}

TEST_CASE("a family without samples still renders its HELP and TYPE lines", "[metrics]") {
  CHECK(metrics::render(
            {metrics::make_family("x_total", "None yet.", metrics::metric_type::counter)}) ==
        "# HELP x_total None yet.\n# TYPE x_total counter\n");
  CHECK(metrics::render({}).empty());
}

TEST_CASE("resident memory is read from the VmRSS line of /proc/self/status in kB", "[metrics]") {
  CHECK(metrics::resident_bytes("Name:\tschedulerd\nVmPeak:\t  9000 kB\nVmRSS:\t    2048 kB\n") ==
        2048.0 * 1024);
  CHECK_FALSE(metrics::resident_bytes("Name:\tschedulerd\n"));
  CHECK_FALSE(metrics::resident_bytes("VmRSS:\tlots\n"));
  CHECK_FALSE(metrics::resident_bytes("XVmRSS:\t12 kB\n"));
}
