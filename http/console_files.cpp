#include "http/console_files.hpp"

#include <array>
#include <utility>

namespace schedulerd::http {

namespace {

constexpr std::string_view html = "text/html; charset=utf-8";
constexpr std::string_view css = "text/css; charset=utf-8";
constexpr std::string_view javascript = "text/javascript; charset=utf-8";

struct named_file {
  std::string_view name;
  std::string_view content_type;
  std::string_view (*body)();
};

constexpr std::array<named_file, 6> files{{
    {"index.html", html, console_text::index_html},
    {"style.css", css, console_text::style_css},
    {"app.js", javascript, console_text::app_js},
    {"api.js", javascript, console_text::api_js},
    {"render.js", javascript, console_text::render_js},
    {"charts.js", javascript, console_text::charts_js},
}};

}  // namespace

std::optional<console_file> find_console_file(std::string_view name) {
  for (const auto& file : files) {
    if (file.name == name) {
      return console_file{file.content_type, file.body()};
    }
  }
  return std::nullopt;
}

}  // namespace schedulerd::http
