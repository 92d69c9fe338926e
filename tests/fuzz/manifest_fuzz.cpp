// libFuzzer target: import manifests (indexer/manifest.h, CSV and JSON Lines, their encoding
// detection and Windows-1250 conversion) and the CSV reader under them (indexer/csv_reader.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "csv_reader.h"
#include "manifest.h"

namespace indexer = mediateka::indexer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)indexer::parse_csv(text);
  } catch (const indexer::CsvError&) {
  }
  try {
    (void)indexer::parse_csv_manifest(text, "fuzz.csv");
  } catch (const indexer::ManifestError&) {
  }
  try {
    (void)indexer::parse_jsonl_manifest(text, "fuzz.jsonl");
  } catch (const indexer::ManifestError&) {
  }
  try {
    (void)indexer::parse_csv(text, ';');
  } catch (const indexer::CsvError&) {
  }
  try {
    const std::string decoded =
        indexer::decode_manifest(text, indexer::ManifestEncoding::detect, "fuzz.csv");
    (void)indexer::parse_csv_manifest(decoded, "fuzz.csv");
  } catch (const indexer::ManifestError&) {
  }
  return 0;
}
