#include "app/key_rotation.hpp"

#include "domain/credential_cipher.hpp"
#include "providers/credential_codec.hpp"
#include "storage/connection.hpp"
#include "storage/provider_store.hpp"

#include <stdexcept>

namespace schedulerd::app {

rotation_report rotate_keys(const config::service_config& settings, log::logger& logger) {
  const domain::credential_cipher cipher{settings.app_key, settings.previous_app_keys};
  auto db = storage::open_connection(settings.database_url);
  rotation_report report;
  db->begin();
  try {
    // Every value is opened, current ones too: the rotation also proves that none is damaged.
    for (const auto& stored : storage::list_sealed_credentials(*db)) {
      auto credentials = providers::open_credentials(cipher, stored.provider_id, stored.ciphertext);
      if (!credentials) {
        throw std::runtime_error("the credentials of provider connection " +
                                 std::to_string(stored.provider_id) +
                                 " do not open with APP_KEY or APP_PREVIOUS_KEYS; nothing changed");
      }
      if (!cipher.is_stale(stored.ciphertext)) {
        ++report.current;
        continue;
      }
      storage::replace_sealed_credentials(
          *db, stored.provider_id,
          providers::seal_credentials(cipher, stored.provider_id, *credentials));
      ++report.resealed;
    }
    db->commit();
  } catch (...) {
    db->rollback();
    throw;
  }
  logger.info("keys_rotated", {{"resealed", report.resealed}, {"current", report.current}});
  return report;
}

}  // namespace schedulerd::app
