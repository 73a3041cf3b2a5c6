#pragma once

#include "log/logger.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace schedulerd::testing {

/// A JSON logger (debug level and up) writing to a temporary file that the test reads back.
class captured_log {
 public:
  /// Opens the temporary file; throws std::runtime_error when it cannot.
  captured_log()
      : file_(std::tmpfile(), &std::fclose),
        logger_(std::make_shared<log::logger>(log::level::debug, log::format::json, file_.get())) {
    if (!file_) {
      throw std::runtime_error("cannot create a temporary log file");
    }
  }

  /// The logger to hand to the code under test.
  [[nodiscard]] const std::shared_ptr<log::logger>& logger() const noexcept { return logger_; }

  /// Everything logged so far.
  [[nodiscard]] std::string text() const {
    // A failed flush or seek shows up as missing text, which the calling test then reports.
    static_cast<void>(std::fflush(file_.get()));
    std::rewind(file_.get());
    std::string out;
    std::array<char, 4096> buffer{};
    std::size_t read = 0;
    while ((read = std::fread(buffer.data(), 1, buffer.size(), file_.get())) > 0) {
      out.append(buffer.data(), read);
    }
    static_cast<void>(std::fseek(file_.get(), 0, SEEK_END));
    return out;
  }

 private:
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file_;
  std::shared_ptr<log::logger> logger_;
};

}  // namespace schedulerd::testing
