#include "providers/huggy/settings.hpp"

#include "domain/url_encoding.hpp"
#include "providers/huggy/fields.hpp"

#include <algorithm>

namespace schedulerd::providers::huggy {

connection_settings read_settings(const domain::field_values& settings) {
  connection_settings out;
  out.company_id = trimmed(settings, "company_id");
  out.mode = trimmed(settings, "send_mode") == "flow" ? send_mode::flow : send_mode::chat;
  const auto flow = trimmed(settings, "flow_id");
  if (!flow.empty() && flow.size() <= 18 &&
      std::all_of(flow.begin(), flow.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    out.flow_id = std::stoll(flow);
  }
  out.channel_uuid = trimmed(settings, "channel_uuid");
  return out;
}

std::string api_root(const std::string& api_base_url, const connection_settings& settings) {
  if (settings.company_id.empty()) return api_base_url;
  return api_base_url + "/companies/" + domain::url_encode(settings.company_id);
}

}  // namespace schedulerd::providers::huggy
