#include "http/routes/console.hpp"

#include "http/console_files.hpp"
#include "http/status.hpp"

#include <caf/all.hpp>

#include <string>

namespace schedulerd::http {

namespace {

// Only the console's own files run: no inline script or style, no other origin, no framing.
constexpr const char* console_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

response serve(const request& req) {
  const std::string name = req.route == "/admin" ? std::string{"index.html"} : req.param("file");
  auto file = find_console_file(name);
  if (!file) {
    return error_response(errc::not_found);
  }
  response res;
  res.set_header("content-type", std::string{file->content_type});
  // The names carry no version: the browser asks again each time and a new build shows at once.
  res.set_header("cache-control", "no-cache");
  res.set_header("content-security-policy", console_policy);
  res.body = std::string{file->body};
  return res;
}

handler_actor::behavior_type console_handler(handler_actor::pointer self) {
  return actors::introspected<handler_actor::behavior_type>(
      self, [](request& req) -> response { return serve(req); });
}

}  // namespace

handler_actor spawn_console_handler(caf::actor_system& system) {
  return system.spawn(console_handler);
}

void add_console_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/admin", handler, {access::open});
  routes.add("GET", "/admin/{file}", handler, {access::open});
}

}  // namespace schedulerd::http
