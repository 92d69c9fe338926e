// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mediateka::indexer {

struct CsvRecord {
  int line = 0;  // physical line (1-based) where the record starts
  std::vector<std::string> fields;
};

struct CsvError : std::runtime_error {
  CsvError(int line, const std::string& message) : std::runtime_error(message), line(line) {}
  int line;
};

// Splits `text` into records of fields separated by `separator` (',' or ';'). A UTF-8 byte
// order mark is skipped; records end with LF or CRLF; blank lines between records are skipped.
// Throws CsvError for an unterminated quoted field or text after a closing quote.
std::vector<CsvRecord> parse_csv(std::string_view text, char separator = ',');

// The separator of a CSV text: ';' when its first line has more semicolons than commas outside
// quotes (Excel's "CSV (rozdzielany średnikami)"), else ','.
char detect_separator(std::string_view text);

}  // namespace mediateka::indexer
