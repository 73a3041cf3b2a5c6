#include "config/dotenv.hpp"

#include "domain/ascii_text.hpp"

#include <algorithm>

namespace schedulerd::config {

namespace {

using domain::trim;

bool is_variable_name(std::string_view name) {
  const auto name_char = [](char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  return !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
         std::all_of(name.begin(), name.end(), name_char);
}

// Whatever follows a closing quote may only be blanks or a comment.
bool only_comment(std::string_view rest) {
  rest = trim(rest);
  return rest.empty() || rest[0] == '#';
}

struct parsed_value {
  std::string value;
  std::string error;
};

parsed_value parse_double_quoted(std::string_view text) {
  std::string value;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      if (!only_comment(text.substr(i + 1))) return {{}, "unexpected text after the closing quote"};
      return {value, {}};
    }
    if (c == '\\' && i + 1 < text.size()) {
      const char next = text[++i];
      if (next == 'n') {
        value += '\n';
      } else if (next == '"' || next == '\\') {
        value += next;
      } else {
        // Unknown escapes stay as written, so Windows-style paths survive.
        value += c;
        value += next;
      }
      continue;
    }
    value += c;
  }
  return {{}, "missing closing double quote"};
}

parsed_value parse_single_quoted(std::string_view text) {
  const auto close = text.find('\'', 1);
  if (close == std::string_view::npos) return {{}, "missing closing single quote"};
  if (!only_comment(text.substr(close + 1))) return {{}, "unexpected text after the closing quote"};
  return {std::string(text.substr(1, close - 1)), {}};
}

parsed_value parse_unquoted(std::string_view text) {
  // ` #` starts a comment; a `#` inside a word (`a#b`) does not.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '#' && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
      text = text.substr(0, i);
      break;
    }
  }
  return {std::string(trim(text)), {}};
}

parsed_value parse_value(std::string_view raw) {
  const auto text = trim(raw);
  if (!text.empty() && text[0] == '"') return parse_double_quoted(text);
  if (!text.empty() && text[0] == '\'') return parse_single_quoted(text);
  return parse_unquoted(raw);
}

}  // namespace

std::variant<dotenv_values, dotenv_error> parse_dotenv(std::string_view text) {
  dotenv_values values;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.substr(0, 7) == "export " || line.substr(0, 7) == "export\t") {
      line = trim(line.substr(7));
    }

    const auto equals = line.find('=');
    if (equals == std::string_view::npos) return dotenv_error{line_number, "expected KEY=VALUE"};
    const auto name = trim(line.substr(0, equals));
    if (!is_variable_name(name)) {
      return dotenv_error{line_number, "invalid variable name '" + std::string(name) + "'"};
    }
    auto parsed = parse_value(line.substr(equals + 1));
    if (!parsed.error.empty()) return dotenv_error{line_number, std::move(parsed.error)};
    values[std::string(name)] = std::move(parsed.value);
  }
  return values;
}

}  // namespace schedulerd::config
