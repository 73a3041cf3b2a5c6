#include "providers/huggy/type.hpp"

#include "providers/huggy/connector.hpp"
#include "providers/huggy/fields.hpp"
#include "providers/huggy/oauth_flow.hpp"

namespace schedulerd::providers::huggy {

provider_type type() {
  provider_type out;
  out.info.type = "huggy";
  out.info.name = "Huggy";
  out.info.credential_fields = credential_fields();
  out.info.settings_fields = settings_fields();
  out.info.supports_oauth = true;
  out.validate = &validate;
  out.make_connector = &make_connector;
  out.make_oauth_flow = &make_oauth_flow;
  return out;
}

}  // namespace schedulerd::providers::huggy
