// Replays every input the fuzzers found (tests/fuzz/regressions/<target>/) and every seed
// (tests/fuzz/corpus/<target>/) through the fuzz targets themselves, compiled here as plain
// functions: each input that once crashed a parser must now pass. See docs/fuzzing.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define LLVMFuzzerTestOneInput fuzz_authorization
#include "fuzz/authorization_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_extraction
#include "fuzz/extraction_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_http_headers
#include "fuzz/http_headers_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_item_json
#include "fuzz/item_json_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_manifest
#include "fuzz/manifest_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_multipart
#include "fuzz/multipart_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_oai
#include "fuzz/oai_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_query_rewriter
#include "fuzz/query_rewriter_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_query_string
#include "fuzz/query_string_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_request_framing
#include "fuzz/request_framing_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_subtitles
#include "fuzz/subtitles_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_text_repair
#include "fuzz/text_repair_fuzz.cpp"
#undef LLVMFuzzerTestOneInput

namespace {

using FuzzTarget = int (*)(const std::uint8_t*, std::size_t);

struct Target {
  const char* name;
  FuzzTarget run;
};

const Target kTargets[] = {
    {"authorization_fuzz", fuzz_authorization},
    {"extraction_fuzz", fuzz_extraction},
    {"http_headers_fuzz", fuzz_http_headers},
    {"item_json_fuzz", fuzz_item_json},
    {"manifest_fuzz", fuzz_manifest},
    {"multipart_fuzz", fuzz_multipart},
    {"oai_fuzz", fuzz_oai},
    {"query_rewriter_fuzz", fuzz_query_rewriter},
    {"query_string_fuzz", fuzz_query_string},
    {"request_framing_fuzz", fuzz_request_framing},
    {"subtitles_fuzz", fuzz_subtitles},
    {"text_repair_fuzz", fuzz_text_repair},
};

// The files of tests/fuzz/<folder>/<target>/, sorted; none when the folder is absent.
std::vector<std::filesystem::path> inputs(const std::string& folder, const std::string& target) {
  const std::filesystem::path dir =
      std::filesystem::path(MEDIATEKA_SOURCE_DIR) / "tests" / "fuzz" / folder / target;
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::size_t replay(const Target& target, const std::string& folder) {
  std::size_t count = 0;
  for (const auto& file : inputs(folder, target.name)) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
    ++count;
  }
  return count;
}

class FuzzInputs : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzInputs, CrashInputsAndSeedsPass) {
  replay(GetParam(), "regressions");
  EXPECT_GT(replay(GetParam(), "corpus"), 0u) << "no seeds for " << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzInputs, ::testing::ValuesIn(kTargets),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace

// The findings themselves, with what the parser now says.
TEST(FuzzFindings, AnItemsNumbersBeyondTheirTypeAreDropped) {
  const mediateka::Item item = mediateka::item_from_json(nlohmann::json::parse(
      R"({"id":"x","slug":"y","type":"tv","pages":1e300,"year":99999999999,
          "ocr_pages":[1,-1e300,2.5],"repaired_pages":[3e9,4],
          "source":{"size":1.7e125,"mtime":18446744073709551615}})"));
  EXPECT_FALSE(item.pages);
  EXPECT_FALSE(item.year);
  EXPECT_EQ(item.ocr_pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(item.repaired_pages, (std::vector<int>{4}));
  EXPECT_EQ(item.source.size, 0);
  EXPECT_EQ(item.source.mtime, 0);
  const mediateka::Item fine = mediateka::item_from_json(nlohmann::json::parse(
      R"({"id":"x","slug":"y","type":"tv","pages":12,"year":2013,"source":{"size":1024,"mtime":1700000000}})"));
  EXPECT_EQ(fine.pages, 12);
  EXPECT_EQ(fine.year, 2013);
  EXPECT_EQ(fine.source.size, 1024);
  EXPECT_EQ(fine.source.mtime, 1700000000);
}

TEST(FuzzFindings, AJsonlManifestWithANumberBeyondADoubleIsAManifestError) {
  try {
    mediateka::indexer::parse_jsonl_manifest("{\"source\": \"a.pdf\", \"year\": 1E400}\n",
                                             "m.jsonl");
    FAIL() << "no error";
  } catch (const mediateka::indexer::ManifestError& error) {
    EXPECT_EQ(std::string(error.what()),
              "m.jsonl:1: invalid JSON: number overflow parsing '1E400'");
  }
}

TEST(FuzzFindings, AWorkersPageNumberBeyondAnIntIsAMalformedAnswer) {
  for (const char* text : {R"({"kind":"pdf","pages":1e300})",
                           R"({"kind":"pdf","segments":[{"page":-3e9,"text":"a"}]})",
                           R"({"kind":"pdf","ocr_pages":[1,1e300]})"}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(mediateka::media::extraction_from_json(nlohmann::json::parse(text)),
                 nlohmann::json::exception);
  }
  const auto parsed = mediateka::media::extraction_from_json(nlohmann::json::parse(
      R"({"kind":"pdf","pages":2,"segments":[{"page":2,"text":"a"}],"ocr_pages":[2]})"));
  EXPECT_EQ(parsed.pages, 2);
  EXPECT_EQ(parsed.segments.at(0).page, 2);
  EXPECT_EQ(parsed.ocr_pages, (std::vector<int>{2}));
}
