#include "manifest.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "archive/access/access.h"
#include "archive/text/slug.h"
#include "archive/text/utf8.h"
#include "csv_reader.h"

namespace mediateka::indexer {
namespace {

constexpr std::array<std::string_view, 16> kColumns = {
    "id",     "source", "type",        "title",   "campaign", "year",   "date",   "project",
    "series", "issue",  "description", "authors", "language", "access", "places", "replaces"};

// The item field a column names; nullopt for id, source and replaces.
std::optional<ManifestField> field_of(std::string_view column) {
  return value_named(kManifestFieldNames, column);
}

// Every problem of a manifest, each "FILE:LINE: ..."; thrown together once the whole manifest
// has been read, so the librarian fixes them in one go.
class Problems {
 public:
  void add(std::string message) {
    if (messages_.size() < kMaxListed) messages_.push_back(std::move(message));
    ++count_;
  }
  void throw_if_any() const {
    if (count_ == 0) return;
    std::string text;
    for (const std::string& message : messages_) text += (text.empty() ? "" : "\n") + message;
    if (count_ > messages_.size())
      text += "\n... and " + std::to_string(count_ - messages_.size()) + " more problems";
    throw ManifestError(text);
  }

 private:
  static constexpr std::size_t kMaxListed = 100;
  std::vector<std::string> messages_;
  std::size_t count_ = 0;
};

// "F" for the 6th column, "AA" for the 27th: as a spreadsheet shows it.
std::string column_letters(std::size_t index) {
  std::string letters;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

// "column 6 (F) 'year'"
std::string csv_column(std::size_t index, std::string_view name) {
  return "column " + std::to_string(index + 1) + " (" + column_letters(index) + ") '" +
         std::string(name) + "'";
}

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
// A column present names its field, even with an empty cell (which clears the field); `access`
// only with a value.
void assign(ManifestEntry& entry, std::string_view column, const std::string& raw) {
  std::string value = trim(raw);
  const std::optional<ManifestField> field = field_of(column);
  if (field && *field != ManifestField::access) entry.named |= field_bit(*field);
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
      throw ValueError("'" + value + "' is not one of " + names_listed(kItemTypeNames));
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
    entry.named |= field_bit(ManifestField::access);
  } else if (column == "replaces") {
    if (!is_valid_identifier(value)) {
      throw ValueError("'" + value +
                       "' is not an item's id or slug (1-120 characters of a-z, 0-9, _ and -)");
    }
    entry.replaces = value;
  }
}

// Checks that concern the whole manifest: every row names a source, once; ids are unique; an
// item is taken over by one row at most. `where(entry, column)` says where a cell is.
template <class Where>
void check_rows(const Manifest& manifest, Problems& problems, Where where) {
  std::map<std::string, int> line_of_source;
  std::map<std::string, int> line_of_id;
  std::map<std::string, int> line_of_replaced;
  for (const ManifestEntry& entry : manifest.entries) {
    if (entry.source.empty()) {
      problems.add(where(entry, "source") + ": empty");
    } else if (auto [source, added] = line_of_source.emplace(entry.source, entry.line); !added) {
      problems.add(where(entry, "source") + ": '" + entry.source + "' is already listed on line " +
                   std::to_string(source->second));
    }
    if (!entry.id.empty()) {
      if (auto [id, added] = line_of_id.emplace(entry.id, entry.line); !added) {
        problems.add(where(entry, "id") + ": '" + entry.id + "' is already used on line " +
                     std::to_string(id->second));
      }
    }
    if (entry.replaces.empty()) continue;
    if (!entry.id.empty() && entry.id != entry.replaces) {
      problems.add(where(entry, "replaces") + ": '" + entry.replaces +
                   "' keeps its own id; leave column 'id' empty (it says '" + entry.id + "')");
    }
    if (auto [replaced, added] = line_of_replaced.emplace(entry.replaces, entry.line); !added) {
      problems.add(where(entry, "replaces") + ": '" + entry.replaces +
                   "' is already taken over on line " + std::to_string(replaced->second));
    }
  }
  for (const ManifestEntry& entry : manifest.entries) {
    if (entry.id.empty() || entry.id == entry.replaces) continue;
    if (auto replaced = line_of_replaced.find(entry.id); replaced != line_of_replaced.end()) {
      problems.add(where(entry, "id") + ": '" + entry.id + "' is taken over on line " +
                   std::to_string(replaced->second) + " by another source");
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
    const std::size_t index = columns.size();
    if (!is_known_column(column)) {
      std::string hint;
      if (column.find(';') != std::string::npos || column.find(',') != std::string::npos)
        hint = "; is the separator right? (--separator ';' or ',')";
      throw ManifestError(where + "column " + std::to_string(index + 1) + " (" +
                          column_letters(index) + "): unknown column '" + trim(field) +
                          "' (known columns: " + known_columns() + ")" + hint);
    }
    if (std::find(columns.begin(), columns.end(), column) != columns.end()) {
      throw ManifestError(where + csv_column(index, column) + " appears twice in the header");
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

std::string_view to_string(ManifestField field) {
  return name_of(kManifestFieldNames, field, ManifestField::type);
}

std::optional<ManifestEncoding> parse_manifest_encoding(std::string_view name) {
  const std::string lower = lower_ascii(std::string(name));
  if (lower == "utf-8" || lower == "utf8") return ManifestEncoding::utf8;
  if (lower == "windows-1250" || lower == "cp1250" || lower == "win1250")
    return ManifestEncoding::windows1250;
  return std::nullopt;
}

namespace {

// Line and column (1-based, in bytes) of `offset` in `text`.
std::string position_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

std::string from_windows1250(std::string_view bytes, const std::string& file_name) {
  // Bytes Windows-1250 leaves undefined: the file is in some other encoding.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte == 0x81 || byte == 0x83 || byte == 0x88 || byte == 0x90 || byte == 0x98 || byte == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      throw ManifestError(file_name + ":" + position_of(bytes, i) + ": byte " + hex +
                          " is neither UTF-8 nor Windows-1250; save the manifest as "
                          "\"CSV UTF-8\" or give --encoding");
    }
  }
  if (bytes.empty()) return {};
  UErrorCode status = U_ZERO_ERROR;
  std::string utf8(bytes.size() * 3 + 1, '\0');
  const int32_t length =
      ucnv_convert("UTF-8", "windows-1250", utf8.data(), static_cast<int32_t>(utf8.size()),
                   bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status))
    throw ManifestError(file_name + ": cannot convert from Windows-1250: " + u_errorName(status));
  utf8.resize(static_cast<std::size_t>(length));
  return utf8;
}

}  // namespace

std::string decode_manifest(std::string_view bytes, ManifestEncoding encoding,
                            const std::string& file_name) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  const bool bom = bytes.substr(0, kBom.size()) == kBom;
  if (encoding == ManifestEncoding::windows1250 && !bom) return from_windows1250(bytes, file_name);
  if (bom) bytes.remove_prefix(kBom.size());
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const Utf8Sequence sequence = utf8_sequence(bytes.substr(offset));
    if (!sequence.valid) break;
    offset += sequence.length;
  }
  if (offset == bytes.size()) return std::string(bytes);
  if (encoding == ManifestEncoding::detect && !bom) return from_windows1250(bytes, file_name);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bytes[offset]));
  throw ManifestError(file_name + ":" + position_of(bytes, offset) + ": byte " + hex +
                      " is not UTF-8" +
                      (bom ? " though the file starts with a UTF-8 byte order mark" : "") +
                      "; give --encoding windows-1250 if Excel saved it so");
}

Manifest parse_csv_manifest(std::string_view text, const std::string& file_name, char separator) {
  if (separator == 0) separator = detect_separator(text);
  std::vector<CsvRecord> records;
  try {
    records = parse_csv(text, separator);
  } catch (const CsvError& error) {
    throw ManifestError(file_name + ":" + std::to_string(error.line) + ": " + error.what());
  }
  if (records.empty())
    throw ManifestError(file_name + ": empty manifest: a header row is required");
  std::vector<std::string> columns = read_header(records.front(), file_name);
  auto column_index = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) -
                                    columns.begin());
  };

  Problems problems;
  Manifest manifest;
  manifest.file = file_name;
  manifest.entries.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    CsvRecord& record = records[r];
    std::string where = file_name + ":" + std::to_string(record.line) + ": ";
    if (record.fields.size() < columns.size()) {
      problems.add(where + std::to_string(record.fields.size()) + " fields, the header has " +
                   std::to_string(columns.size()) + ": missing field for " +
                   csv_column(record.fields.size(), columns[record.fields.size()]));
      continue;
    }
    if (record.fields.size() > columns.size()) {
      problems.add(where + std::to_string(record.fields.size()) + " fields, the header has " +
                   std::to_string(columns.size()) + ": extra field in column " +
                   std::to_string(columns.size() + 1) + " (" + column_letters(columns.size()) +
                   ")");
      continue;
    }
    ManifestEntry entry;
    entry.named = 0;
    entry.line = record.line;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      try {
        assign(entry, columns[c], record.fields[c]);
      } catch (const ValueError& error) {
        problems.add(where + csv_column(c, columns[c]) + ": " + error.what());
      }
    }
    record.fields = {};  // a large manifest's rows are not held twice
    manifest.entries.push_back(std::move(entry));
  }
  check_rows(manifest, problems, [&](const ManifestEntry& entry, std::string_view column) {
    return file_name + ":" + std::to_string(entry.line) + ": " +
           csv_column(column_index(column), column);
  });
  problems.throw_if_any();
  return manifest;
}

Manifest parse_jsonl_manifest(std::string_view text, const std::string& file_name) {
  Problems problems;
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
      problems.add(where + std::to_string(error.byte) + ": invalid JSON: " + json_reason(error));
      continue;
    } catch (const nlohmann::json::out_of_range& error) {  // a number beyond a double's range
      const std::string message = error.what();
      problems.add(where + " invalid JSON: " + message.substr(message.find("] ") + 2));
      continue;
    }
    if (!object.is_object()) {
      problems.add(where + " expected a JSON object, one per line");
      continue;
    }

    ManifestEntry entry;
    entry.named = 0;
    entry.line = line_number;
    for (const auto& [key, value] : object.items()) {
      if (!is_known_column(key)) {
        problems.add(where + " unknown key '" + key + "' (known keys: " + known_columns() + ")");
        continue;
      }
      try {
        if (value.is_null()) {
          assign(entry, key, "");  // names the field: clears it
        } else if (key == "year" && value.is_number_integer()) {
          assign(entry, key, std::to_string(value.get<long long>()));
        } else if (key == "campaign" || key == "authors" || key == "access" || key == "places") {
          assign(entry, key, json_list(value));
        } else {
          assign(entry, key, json_text(value));
        }
      } catch (const ValueError& error) {
        problems.add(where + " key '" + key + "': " + error.what());
      }
    }
    manifest.entries.push_back(std::move(entry));
  }
  check_rows(manifest, problems, [&](const ManifestEntry& entry, std::string_view key) {
    return file_name + ":" + std::to_string(entry.line) + ": key '" + std::string(key) + "'";
  });
  problems.throw_if_any();
  return manifest;
}

Manifest read_manifest(const std::filesystem::path& file, const ManifestFormat& format) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ManifestError(file.string() + ": cannot read the manifest");
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw ManifestError(file.string() + ": cannot read the manifest");
  const std::string text = decode_manifest(bytes, format.encoding, file.string());
  std::string extension = lower_ascii(file.extension().string());
  Manifest manifest = (extension == ".jsonl" || extension == ".ndjson")
                          ? parse_jsonl_manifest(text, file.string())
                          : parse_csv_manifest(text, file.string(), format.separator);
  manifest.file = file;
  return manifest;
}

}  // namespace mediateka::indexer
