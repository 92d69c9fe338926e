#include "manifest.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "access.h"
#include "csv_reader.h"
#include "slug.h"

namespace mediateka::indexer {
namespace {

constexpr std::array<std::string_view, 15> kColumns = {
    "id",     "source", "type",        "title",   "campaign", "year",   "date",  "project",
    "series", "issue",  "description", "authors", "language", "access", "places"};

bool is_known_column(std::string_view name) {
  return std::find(kColumns.begin(), kColumns.end(), name) != kColumns.end();
}

std::string known_columns() {
  std::string list;
  for (std::string_view column : kColumns) {
    if (!list.empty()) list += ",";
    list += column;
  }
  return list;
}

// A bad value; the caller adds where it is.
struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string trim(std::string_view text) {
  const char* spaces = " \t\r\n";
  auto first = text.find_first_not_of(spaces);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(spaces);
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string value = trim(text.substr(start, end - start));
    if (!value.empty()) values.push_back(std::move(value));
    start = end + 1;
  }
  return values;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int parse_year(std::string_view text) {
  if (text.size() != 4 || !all_digits(text)) {
    throw ValueError("'" + std::string(text) + "' is not a 4-digit year");
  }
  return std::stoi(std::string(text));
}

void check_date(std::string_view text) {
  auto bad = [&] {
    return ValueError("'" + std::string(text) + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
  };
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) throw bad();
  if (!all_digits(text.substr(0, 4))) throw bad();
  if (text.size() >= 7) {
    if (text[4] != '-' || !all_digits(text.substr(5, 2))) throw bad();
    int month = std::stoi(std::string(text.substr(5, 2)));
    if (month < 1 || month > 12) throw bad();
  }
  if (text.size() == 10) {
    if (text[7] != '-' || !all_digits(text.substr(8, 2))) throw bad();
    int day = std::stoi(std::string(text.substr(8, 2)));
    if (day < 1 || day > 31) throw bad();
  }
}

// Sets one column from its text; `campaign`, `authors`, `access` and `places` are split on ';'.
void assign(ManifestEntry& entry, std::string_view column, const std::string& raw) {
  std::string value = trim(raw);
  if (value.empty()) return;
  if (column == "id") {
    if (!is_valid_identifier(value)) {
      throw ValueError("'" + value + "' is not a valid id (1-120 characters of a-z, 0-9, _ and -)");
    }
    entry.id = value;
  } else if (column == "source") {
    entry.source = value;
  } else if (column == "type") {
    entry.type = parse_item_type(value);
    if (!entry.type) {
      throw ValueError("'" + value + "' is not one of publication, bulletin, film, radio, tv");
    }
  } else if (column == "title") {
    entry.title = value;
  } else if (column == "campaign") {
    entry.campaigns = split_list(value);
  } else if (column == "year") {
    entry.year = parse_year(value);
  } else if (column == "date") {
    check_date(value);
    entry.date = value;
  } else if (column == "project") {
    entry.project = value;
  } else if (column == "series") {
    entry.series = value;
  } else if (column == "issue") {
    entry.issue = value;
  } else if (column == "description") {
    entry.description = value;
  } else if (column == "authors") {
    entry.authors = split_list(value);
  } else if (column == "places") {
    entry.places = split_list(value);
  } else if (column == "language") {
    entry.language = value;
  } else if (column == "access") {
    try {
      entry.access = parse_access(split_list(value));
    } catch (const std::invalid_argument& error) {
      throw ValueError(error.what());
    }
  }
}

// Checks that concern the whole manifest: every row names a source, once; ids are unique.
void check_rows(const Manifest& manifest, const std::string& file_name) {
  std::map<std::string, int> line_of_source;
  std::map<std::string, int> line_of_id;
  for (const ManifestEntry& entry : manifest.entries) {
    std::string where = file_name + ":" + std::to_string(entry.line) + ": ";
    if (entry.source.empty()) throw ManifestError(where + "column 'source': empty");
    auto [source, source_added] = line_of_source.emplace(entry.source, entry.line);
    if (!source_added) {
      throw ManifestError(where + "column 'source': '" + entry.source +
                          "' is already listed on line " + std::to_string(source->second));
    }
    if (entry.id.empty()) continue;
    auto [id, id_added] = line_of_id.emplace(entry.id, entry.line);
    if (!id_added) {
      throw ManifestError(where + "column 'id': '" + entry.id + "' is already used on line " +
                          std::to_string(id->second));
    }
  }
}

std::string lower_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::vector<std::string> read_header(const CsvRecord& header, const std::string& file_name) {
  std::vector<std::string> columns;
  std::string where = file_name + ":" + std::to_string(header.line) + ": ";
  for (const std::string& field : header.fields) {
    std::string column = lower_ascii(trim(field));
    if (!is_known_column(column)) {
      throw ManifestError(where + "unknown column '" + trim(field) +
                          "' (known columns: " + known_columns() + ")");
    }
    if (std::find(columns.begin(), columns.end(), column) != columns.end()) {
      throw ManifestError(where + "column '" + column + "' appears twice in the header");
    }
    columns.push_back(column);
  }
  if (std::find(columns.begin(), columns.end(), "source") == columns.end()) {
    throw ManifestError(where + "the header has no 'source' column");
  }
  return columns;
}

// nlohmann's message without its "[json.exception...] parse error at line 1, column N: " prefix.
std::string json_reason(const nlohmann::json::parse_error& error) {
  std::string message = error.what();
  auto column = message.find("column ");
  if (column != std::string::npos) {
    auto colon = message.find(": ", column);
    if (colon != std::string::npos) return message.substr(colon + 2);
  }
  return message;
}

std::string json_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  throw ValueError("expected a string, found " + value.dump());
}

std::string json_list(const nlohmann::json& value) {
  if (!value.is_array()) return json_text(value);
  std::string joined;
  for (const nlohmann::json& element : value) {
    if (!element.is_string())
      throw ValueError("expected strings in the array, found " + element.dump());
    std::string text = element.get<std::string>();
    if (text.find(';') != std::string::npos) {
      throw ValueError("'" + text + "': one value per array element, without ';'");
    }
    if (!joined.empty()) joined += ";";
    joined += text;
  }
  return joined;
}

}  // namespace

Manifest parse_csv_manifest(std::string_view text, const std::string& file_name) {
  std::vector<CsvRecord> records;
  try {
    records = parse_csv(text);
  } catch (const CsvError& error) {
    throw ManifestError(file_name + ":" + std::to_string(error.line) + ": " + error.what());
  }
  if (records.empty())
    throw ManifestError(file_name + ": empty manifest: a header row is required");
  std::vector<std::string> columns = read_header(records.front(), file_name);

  Manifest manifest;
  manifest.file = file_name;
  manifest.entries.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    CsvRecord& record = records[r];
    std::string where = file_name + ":" + std::to_string(record.line) + ": ";
    if (record.fields.size() < columns.size()) {
      throw ManifestError(where + std::to_string(record.fields.size()) +
                          " fields, the header has " + std::to_string(columns.size()) +
                          ": missing field for column '" + columns[record.fields.size()] + "'");
    }
    if (record.fields.size() > columns.size()) {
      throw ManifestError(where + std::to_string(record.fields.size()) +
                          " fields, the header has " + std::to_string(columns.size()) +
                          ": extra field in column " + std::to_string(columns.size() + 1));
    }
    ManifestEntry entry;
    entry.line = record.line;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      try {
        assign(entry, columns[c], record.fields[c]);
      } catch (const ValueError& error) {
        throw ManifestError(where + "column '" + columns[c] + "': " + error.what());
      }
    }
    record.fields = {};  // a large manifest's rows are not held twice
    manifest.entries.push_back(std::move(entry));
  }
  check_rows(manifest, file_name);
  return manifest;
}

Manifest parse_jsonl_manifest(std::string_view text, const std::string& file_name) {
  Manifest manifest;
  manifest.file = file_name;
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (trim(line).empty()) continue;

    std::string where = file_name + ":" + std::to_string(line_number) + ":";
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
      throw ManifestError(where + std::to_string(error.byte) +
                          ": invalid JSON: " + json_reason(error));
    } catch (const nlohmann::json::out_of_range& error) {  // a number beyond a double's range
      const std::string message = error.what();
      throw ManifestError(where + " invalid JSON: " + message.substr(message.find("] ") + 2));
    }
    if (!object.is_object()) throw ManifestError(where + " expected a JSON object, one per line");

    ManifestEntry entry;
    entry.line = line_number;
    for (const auto& [key, value] : object.items()) {
      if (!is_known_column(key)) {
        throw ManifestError(where + " unknown key '" + key + "' (known keys: " + known_columns() +
                            ")");
      }
      if (value.is_null()) continue;
      try {
        if (key == "year" && value.is_number_integer()) {
          assign(entry, key, std::to_string(value.get<long long>()));
        } else if (key == "campaign" || key == "authors" || key == "access" || key == "places") {
          assign(entry, key, json_list(value));
        } else {
          assign(entry, key, json_text(value));
        }
      } catch (const ValueError& error) {
        throw ManifestError(where + " key '" + key + "': " + error.what());
      }
    }
    manifest.entries.push_back(std::move(entry));
  }
  check_rows(manifest, file_name);
  return manifest;
}

Manifest read_manifest(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ManifestError(file.string() + ": cannot read the manifest");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw ManifestError(file.string() + ": cannot read the manifest");
  std::string extension = lower_ascii(file.extension().string());
  Manifest manifest = (extension == ".jsonl" || extension == ".ndjson")
                          ? parse_jsonl_manifest(text, file.string())
                          : parse_csv_manifest(text, file.string());
  manifest.file = file;
  return manifest;
}

}  // namespace mediateka::indexer
