#pragma once

#include "metrics/sample.hpp"

#include <string>
#include <string_view>
#include <vector>

// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).

namespace schedulerd::metrics {

/// The Content-Type of a response carrying `render`'s output.
inline constexpr std::string_view text_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// `value` as a label value between double quotes: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

/// `text` as a HELP docstring: backslash and newline escaped.
std::string escape_help(std::string_view text);

/// `value` as a sample value: the shortest decimal that reads back the same, `+Inf`, `-Inf` or
/// `NaN`.
std::string format_value(double value);

/// Whether `name` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
bool is_metric_name(std::string_view name) noexcept;

/// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`).
bool is_label_name(std::string_view name) noexcept;

/// Every family in order: its HELP and TYPE lines, then one line per sample, newline-terminated.
std::string render(const std::vector<family>& families);

}  // namespace schedulerd::metrics
