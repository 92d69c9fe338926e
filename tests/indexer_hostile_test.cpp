// Files made to hurt (tests/fixtures/make_hostile_files.py: deep nesting, a page count of two
// billion, a looping page tree, a 4 GiB decompression bomb, lying WAV, MP3 and MP4 headers, a
// playlist that lists itself) through the real mediateka-index, beside good files and over
// items stored before: each hostile file fails alone, within the extraction workers' limits
// (set tight in this test's configuration), with its reason in the report; the good files of
// the same import are indexed and the items already stored stay.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "archive/index_writer.h"
#include "test_files.h"

namespace fs = std::filesystem;
using mediateka::test::read_file;
using nlohmann::json;

namespace {

// The limits of each extraction worker here; the defaults are 60 s, 2048 MB, 60 s.
constexpr int kCpuSeconds = 2;
constexpr int kInactivitySeconds = 6;

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class IndexerHostile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/mediateka-hostile-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    fs::create_directories(root_ / "in");
    std::ofstream(root_ / "mediateka.toml")
        << "[extraction]\ncpu_seconds = " << kCpuSeconds
        << "\nmemory_mb = 512\ninactivity_seconds = " << kInactivitySeconds
        << "\n[ocr]\nenabled = false\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  void make_pdf(const std::string& name, const std::string& text) {
    const std::string script =
        "import sys\nfrom reportlab.pdfgen import canvas\nc = canvas.Canvas(sys.argv[1])\n"
        "c.drawString(72, 720, sys.argv[2])\nc.showPage()\nc.save()\n";
    ASSERT_EQ(run("/usr/bin/python3 -c '" + script + "' '" + (root_ / "in" / name).string() +
                  "' '" + text + "'"),
              0)
        << "needs python3-reportlab";
  }

  // Imports the folder "in"; the exit status, the report by file name, and the wall time.
  int import(std::map<std::string, json>& entries, std::chrono::milliseconds& took) {
    const auto started = std::chrono::steady_clock::now();
    const int status =
        run(std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --config '" +
            (root_ / "mediateka.toml").string() + "' --db '" + (root_ / "db").string() +
            "' --report '" + (root_ / "report.json").string() + "' '" + (root_ / "in").string() +
            "' 2>'" + (root_ / "stderr").string() + "'");
    took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
    entries.clear();
    const json report = json::parse(read_file(root_ / "report.json"));
    for (const json& entry : report["items"])
      entries[fs::path(entry["source"].get<std::string>()).filename().string()] = entry;
    return status;
  }

  fs::path root_;
};

TEST_F(IndexerHostile, EachHostileFileFailsAloneWithItsReason) {
  make_pdf("pierwszy.pdf", "Pomoc spoleczna w gminie");
  make_pdf("drugi.pdf", "Wolontariat w domu kultury");
  std::map<std::string, json> entries;
  std::chrono::milliseconds took{};
  ASSERT_EQ(import(entries, took), 0) << read_file(root_ / "stderr");
  ASSERT_EQ(entries.size(), 2u) << read_file(root_ / "report.json");

  ASSERT_EQ(
      run("/usr/bin/python3 '" MEDIATEKA_SOURCE_DIR "/tests/fixtures/make_hostile_files.py' '" +
          (root_ / "in" / "wrogie").string() + "'"),
      0);
  make_pdf("trzeci.pdf", "Ekonomia spoleczna w regionie");
  EXPECT_EQ(import(entries, took), 1) << "some files failed";
  const std::string log = read_file(root_ / "stderr");

  // Failed, each with its reason.
  const std::map<std::string, std::string> failures = {
      {"bomba.pdf", "extractor ran out of"},  // CPU time or time: 4 GiB of content stream
      {"miliard_stron.pdf", "PDF is damaged or truncated (no pages)"},
      {"petla_stron.pdf", "none of the PDF's 2 pages can be read (a damaged page tree)"},
      {"lata_dzwieku.mp3", "hours of playing time in 3753 bytes: a damaged or forged file"},
      {"ucieta.mp4", "damaged or truncated mov file"},
      {"zle_naglowki.wav", "no audio or video stream (wav)"},
      {"petla.mp3", "not an audio or video file (hls)"},
  };
  for (const auto& [name, reason] : failures) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(entries.count(name)) << log;
    EXPECT_EQ(entries[name]["status"], "failed") << entries[name].dump();
    EXPECT_NE(entries[name]["error"].dump().find(reason), std::string::npos)
        << entries[name].dump();
  }
  // Only the bomb may cost a worker's limit; the others are refused at once.
  EXPECT_EQ(entries["bomba.pdf"]["error"].get<std::string>().find("memory"), std::string::npos);

  // Harmless after all: Poppler stops at its nesting limit (the page has no text), and FFmpeg
  // believes the WAV's size rather than its header.
  EXPECT_EQ(entries["gleboko.pdf"]["status"], "imported") << entries["gleboko.pdf"].dump();
  EXPECT_EQ(entries["bez_konca.wav"]["status"], "imported") << entries["bez_konca.wav"].dump();
  // The good file of the same import, and the items stored before.
  EXPECT_EQ(entries["trzeci.pdf"]["status"], "imported");
  EXPECT_EQ(entries["pierwszy.pdf"]["status"], "unchanged");
  EXPECT_EQ(entries["drugi.pdf"]["status"], "unchanged");

  mediateka::IndexWriter index((root_ / "db").string());
  for (const char* name : {"pierwszy.pdf", "drugi.pdf", "trzeci.pdf", "gleboko.pdf"})
    EXPECT_TRUE(index.find_by_id(entries[name]["id"])) << name;
  const auto wav = index.find_by_id(entries["bez_konca.wav"]["id"]);
  ASSERT_TRUE(wav);
  ASSERT_TRUE(wav->duration_s);
  EXPECT_LT(*wav->duration_s, 1.0);  // 64 bytes at 8000 a second, not the 4 GiB declared
  for (const auto& [name, reason] : failures)
    EXPECT_FALSE(index.find_by_source((root_ / "in" / "wrogie" / name).string())) << name;

  // Within the limits: the bomb costs at most the inactivity limit, the rest little.
  EXPECT_LT(took, std::chrono::seconds(kInactivitySeconds + 20)) << log;
}

}  // namespace
