#pragma once

#include <optional>
#include <string_view>

namespace schedulerd::http {

/// One file of the admin console, compiled into the binary from web/admin/ (CMakeLists.txt).
struct console_file {
  std::string_view content_type;
  std::string_view body;
};

/// The console file named `name` (`index.html`, `app.js`, ...), if there is one.
std::optional<console_file> find_console_file(std::string_view name);

/// The embedded files' bytes, one function per file of web/admin/ (generated at build time).
namespace console_text {

/// web/admin/index.html.
std::string_view index_html();
/// web/admin/style.css.
std::string_view style_css();
/// web/admin/app.js.
std::string_view app_js();
/// web/admin/api.js.
std::string_view api_js();
/// web/admin/render.js.
std::string_view render_js();
/// web/admin/charts.js.
std::string_view charts_js();

}  // namespace console_text

}  // namespace schedulerd::http
