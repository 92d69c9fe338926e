#include "csv_reader.h"

namespace mediateka::indexer {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

class CsvScanner {
 public:
  CsvScanner(std::string_view text, char separator) : text_(text), separator_(separator) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) text_.remove_prefix(kUtf8Bom.size());
  }

  std::vector<CsvRecord> records() {
    std::vector<CsvRecord> result;
    while (pos_ < text_.size()) {
      if (at_line_end()) {  // a blank line
        skip_line_end();
        continue;
      }
      result.push_back(record());
    }
    return result;
  }

 private:
  bool at_line_end() const { return text_[pos_] == '\n' || text_.substr(pos_, 2) == "\r\n"; }

  void skip_line_end() {
    if (text_[pos_] == '\r') ++pos_;
    ++pos_;
    ++line_;
  }

  CsvRecord record() {
    CsvRecord record;
    record.line = line_;
    while (true) {
      record.fields.push_back(field(record));
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == separator_) {
        ++pos_;
        continue;
      }
      skip_line_end();  // field() stops only at the separator, a line end or the end of the text
      break;
    }
    return record;
  }

  std::string field(const CsvRecord& record) {
    if (pos_ < text_.size() && text_[pos_] == '"') return quoted_field(record);
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != separator_ && !at_line_end()) {
      if (text_[pos_] == '"') {
        throw CsvError(line_, "quote inside an unquoted field (column " +
                                  std::to_string(record.fields.size() + 1) +
                                  "); quote the whole field and double the quote");
      }
      value += text_[pos_++];
    }
    return value;
  }

  std::string quoted_field(const CsvRecord& record) {
    int start_line = line_;
    ++pos_;  // the opening quote
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) {
        throw CsvError(start_line, "unterminated quoted field (column " +
                                       std::to_string(record.fields.size() + 1) + ")");
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          value += '"';
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') continue;  // CRLF → LF
      if (c == '\n') ++line_;
      value += c;
    }
    if (pos_ < text_.size() && text_[pos_] != separator_ && !at_line_end()) {
      throw CsvError(line_, "text after the closing quote of column " +
                                std::to_string(record.fields.size() + 1));
    }
    return value;
  }

  std::string_view text_;
  char separator_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, char separator) {
  return CsvScanner(text, separator).records();
}

char detect_separator(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    if (c == ',') ++commas;
    if (c == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

}  // namespace mediateka::indexer
