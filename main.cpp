// schedulerd: wiring only. Load the configuration, start the service, wait for a signal, stop.

#include "app/key_rotation.hpp"
#include "app/service.hpp"
#include "config/command_line.hpp"
#include "config/loader.hpp"
#include "log/logger.hpp"
#include "providers/http_client.hpp"

#include <unistd.h>
#include <csignal>
#include <iostream>
#include <map>

namespace {

using namespace schedulerd;

constexpr int exit_config_error = 2;
constexpr int exit_start_failure = 1;
constexpr int exit_supervisor_gave_up = 3;

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view pair{*entry};
    auto eq = pair.find('=');
    if (eq != std::string_view::npos) {
      out.emplace(pair.substr(0, eq), pair.substr(eq + 1));
    }
  }
  return out;
}

int migrate_only(const config::service_config& settings, log::logger& logger) {
  try {
    app::apply_migrations(settings, logger);
    return 0;
  } catch (const std::exception& ex) {
    logger.error("migration_failed", {{"reason", std::string_view{ex.what()}}});
    return exit_start_failure;
  }
}

int rotate_keys(const config::service_config& settings, log::logger& logger) {
  try {
    app::apply_migrations(settings, logger);
    auto report = app::rotate_keys(settings, logger);
    std::cout << "re-encrypted " << report.resealed << " provider credentials under APP_KEY ("
              << report.current << " already were)\n";
    return 0;
  } catch (const std::exception& ex) {
    logger.error("key_rotation_failed", {{"reason", std::string_view{ex.what()}}});
    return exit_start_failure;
  }
}

// Blocks SIGINT and SIGTERM in every thread (threads inherit the mask), so sigwait gets them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Fails only for an invalid `how`; SIG_BLOCK is valid.
  static_cast<void>(pthread_sigmask(SIG_BLOCK, &signals, nullptr));
  return signals;
}

int serve(const config::service_config& settings, const std::shared_ptr<log::logger>& logger) {
  auto signals = block_shutdown_signals();
  // A peer that closes a socket (hiredis writes with plain write()) must not kill the process.
  static_cast<void>(std::signal(SIGPIPE, SIG_IGN));
  providers::init_http_client();
  app::service_options options;
  // Wakes the sigwait below; the signal reaches this process only, never its group.
  options.on_gave_up = [] { static_cast<void>(kill(getpid(), SIGTERM)); };
  std::unique_ptr<app::service> running;
  try {
    running = std::make_unique<app::service>(settings, logger, options);
  } catch (const std::exception& ex) {
    logger->error("start_failed", {{"reason", std::string_view{ex.what()}}});
    return exit_start_failure;
  }
  auto url = running->base_url();
  const auto roles = config::to_string(settings.roles);
  logger->info("listening", {{"url", std::string_view{url}}, {"roles", std::string_view{roles}}});
  std::cout << "schedulerd listening on " << url << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  // A node missing part of its engine must not look healthy: it stops, drained like on SIGTERM,
  // and fails, so that Docker or systemd start it afresh.
  const bool failed = running->gave_up();
  if (failed) {
    logger->error("stopping_after_supervisor_gave_up", {});
  } else {
    logger->info("shutting_down", {{"signal", std::int64_t{received}}});
  }
  if (!running->stop(std::chrono::milliseconds{settings.shutdown_grace_ms})) {
    logger->warn("shutdown_grace_expired", {});
  }
  running.reset();
  logger->info("stopped", {});
  return failed ? exit_supervisor_gave_up : 0;
}

int run(int argc, char** argv) {
  auto parsed = config::parse_command_line(argc, argv);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    std::cerr << "schedulerd: " << *problem << "\n" << config::usage();
    return exit_config_error;
  }
  auto cli = std::get<config::command_line>(parsed);
  if (cli.cmd == config::command::help) {
    std::cout << config::usage();
    return 0;
  }
  if (cli.cmd == config::command::version) {
    std::cout << "schedulerd " << SCHEDULERD_VERSION << "\n";
    return 0;
  }
  config::config_sources sources;
  sources.environment = process_environment();
  if (!cli.roles.empty()) {
    sources.environment["NODE_ROLES"] = cli.roles;  // the command line wins over every source
  }
  sources.config_file = cli.config_file;
  sources.stderr_is_terminal = isatty(STDERR_FILENO) != 0;
  auto loaded = config::load_config(sources);
  if (auto* problem = std::get_if<config::config_error>(&loaded)) {
    std::cerr << "schedulerd: " << config::to_string(*problem) << "\n";
    return exit_config_error;
  }
  auto& [settings, warnings] = std::get<config::loaded_config>(loaded);
  auto logger = std::make_shared<log::logger>(settings.log_level, settings.log_format);
  for (const auto& warning : warnings) {
    logger->warn("config_warning", {{"message", std::string_view{warning}}});
  }
  if (cli.cmd == config::command::migrate) {
    return migrate_only(settings, *logger);
  }
  if (cli.cmd == config::command::rotate_keys) {
    return rotate_keys(settings, *logger);
  }
  return serve(settings, logger);
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever escapes (bad_alloc, a logger that cannot write) ends the process with a reason.
  try {
    return run(argc, argv);
  } catch (const std::exception& ex) {
    std::cerr << "schedulerd: " << ex.what() << "\n";
    return exit_start_failure;
  }
}
