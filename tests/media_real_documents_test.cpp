// Text as real documents hold it: two columns, running headers and page numbers, words
// hyphenated at line ends, ligatures, mis-decoded Polish, and scans without a text layer (OCR).
// Fixtures are made at test time: reportlab writes the PDFs, pdftoppm renders scans of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "extraction.h"
#include "isolated_extractor.h"
#include "media_test_support.h"
#include "real_document_fixtures.h"

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;
using namespace mediateka::test;

std::string all_text(const Extraction& extraction) {
  std::string text;
  for (const Segment& segment : extraction.segments) text += segment.text + "\n";
  return text;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define REQUIRE_TOOLS()                                                                \
  do {                                                                                 \
    if (!real_document_tools_available())                                              \
      GTEST_SKIP() << "python3-reportlab, fonts-dejavu-core or poppler-utils missing"; \
  } while (0)

class RealDocuments : public ::testing::Test {
 protected:
  TemporaryFolder dir{"media_real_documents_test."};

  void make_scan(fs::path& pdf, fs::path& png) {
    ASSERT_TRUE(make_scanned_pdf(dir.path(), pdf, png));
  }
};

TEST_F(RealDocuments, ColumnsStayWholeAndRunningLinesAreLeftOut) {
  REQUIRE_TOOLS();
  const fs::path pdf = dir.path() / "biuletyn.pdf";
  ASSERT_TRUE(run_python(dir.path(), bulletin_script(pdf)));
  const Extraction extraction = extract_file(pdf);
  ASSERT_EQ(extraction.segments.size(), 3u);
  const std::string& page = extraction.segments[0].text;
  // Each column reads on as one text, not interleaved line by line with the other.
  EXPECT_TRUE(has(page, "Pomoc dla osób bezrobotnych pierwsza obejmuje szkolenia")) << page;
  EXPECT_TRUE(has(page, "Druga kolumna mówi o ekonomii społecznej w powiecie wyszkowskim")) << page;
  // The running header and the page numbers are on every page: none of them is in the text.
  for (const Segment& segment : extraction.segments) {
    EXPECT_FALSE(has(segment.text, "Biuletyn")) << segment.text;
    EXPECT_NE(segment.text.back(), std::to_string(segment.page)[0]) << segment.text;
  }
}

TEST_F(RealDocuments, HyphenationLigaturesAndMisDecodedTextAreRepaired) {
  REQUIRE_TOOLS();
  const fs::path pdf = dir.path() / "biuletyn.pdf";
  ASSERT_TRUE(run_python(dir.path(), bulletin_script(pdf)));
  const Extraction extraction = extract_file(pdf);
  const std::string text = all_text(extraction);
  EXPECT_TRUE(has(text, "szkolenia oraz uprawnienia do zasiłku")) << text;
  EXPECT_TRUE(has(text, "współpracę polsko-niemiecką partnerów")) << text;
  EXPECT_TRUE(has(text, "Beneficjentki pracują offline")) << text;
  EXPECT_FALSE(has(text, "\ufb01")) << text;
  EXPECT_TRUE(has(text, "pomoc społeczna i życie w środowisku lokalnym")) << text;
  EXPECT_EQ(extraction.repaired_pages, std::vector<int>{2});
  EXPECT_TRUE(extraction.ocr_pages.empty());
}

TEST_F(RealDocuments, ScannedPdfIsReadByOcr) {
  REQUIRE_TOOLS();
  fs::path pdf, png;
  make_scan(pdf, png);
  const Extraction extraction = extract_file(pdf);
  EXPECT_EQ(extraction.ocr_pages, std::vector<int>{2});  // page 1 has its text layer
  ASSERT_EQ(extraction.segments.size(), 2u);
  EXPECT_EQ(extraction.segments[0].text, "Spis treści: sprawy bieżące, plan pracy na kolejny rok.");
  EXPECT_EQ(extraction.segments[1].page, 2);
  const std::string& text = extraction.segments[1].text;
  EXPECT_TRUE(has(text, "działalności")) << text;
  EXPECT_TRUE(has(text, "pomocy społecznej")) << text;
  EXPECT_TRUE(has(text, "Ostrołęce")) << text;
}

TEST_F(RealDocuments, ScannedPdfWithOcrDisabledSaysSo) {
  REQUIRE_TOOLS();
  fs::path pdf, png;
  make_scan(pdf, png);
  ExtractOptions options;
  options.ocr.enabled = false;
  const Extraction extraction = extract_file(pdf, options);
  ASSERT_EQ(extraction.segments.size(), 1u);  // the text layer of page 1 only
  EXPECT_TRUE(extraction.ocr_pages.empty());
  ASSERT_EQ(extraction.warnings.size(), 1u);
  EXPECT_EQ(extraction.warnings[0], "1 of 2 pages have no text layer (OCR is disabled)");
}

TEST_F(RealDocuments, StandaloneScansAreReadAsPictures) {
  REQUIRE_TOOLS();
  fs::path pdf, png;
  make_scan(pdf, png);
  const fs::path tiff = dir.path() / "skan.tiff";
  ASSERT_TRUE(run("pdftoppm -r 200 -gray -tiff -singlefile " + quoted(dir.path() / "text.pdf") +
                  " " + quoted(dir.path() / "skan")));
  ASSERT_TRUE(fs::exists(dir.path() / "skan.tif"));
  fs::rename(dir.path() / "skan.tif", tiff);
  for (const fs::path& picture : {png, tiff}) {
    const Extraction extraction = extract_file(picture);
    EXPECT_EQ(extraction.kind, MediaKind::image) << picture;
    EXPECT_EQ(extraction.pages, 1) << picture;
    EXPECT_EQ(extraction.ocr_pages, std::vector<int>{1}) << picture;
    EXPECT_TRUE(has(all_text(extraction), "pomocy społecznej")) << picture;
  }
  EXPECT_EQ(extract_file(png).mime, "image/png");
  EXPECT_EQ(extract_file(tiff).mime, "image/tiff");
}

TEST_F(RealDocuments, TruncatedPictureIsAnError) {
  const fs::path png = dir.path() / "broken.png";
  write_file(png, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  EXPECT_EQ(error_of(png), "damaged or truncated picture");
}

TEST_F(RealDocuments, MissingLanguageDataIsAClearError) {
  OcrSettings settings;
  settings.languages = "pol+xyz";
  const std::string problem = ocr_setup_problem(settings);
  EXPECT_TRUE(has(problem, "'xyz' is not installed")) << problem;
  EXPECT_TRUE(has(problem, "tesseract-ocr-xyz")) << problem;
  settings.languages = "pol+eng";
  EXPECT_EQ(ocr_setup_problem(settings), "");
  settings.enabled = false;
  settings.languages = "xyz";
  EXPECT_EQ(ocr_setup_problem(settings), "");
}

TEST_F(RealDocuments, IsolatedWorkerOcrsAndReportsPages) {
  REQUIRE_TOOLS();
  fs::path pdf, png;
  make_scan(pdf, png);
  IsolatedExtractor extractor;
  const Extraction extraction = extractor.extract(pdf);
  EXPECT_EQ(extraction.ocr_pages, std::vector<int>{2});
  EXPECT_TRUE(has(all_text(extraction), "Ostrołęce")) << all_text(extraction);
}

TEST_F(RealDocuments, MisDecodedTagsOfRecordingsAreRepaired) {
  if (!tool_available("ffmpeg")) GTEST_SKIP() << "ffmpeg is not installed";
  // An ID3 title and artist whose Windows-1250 bytes a tagger stored as Latin-1 text.
  const fs::path mp3 = dir.path() / "audycja.mp3";
  ASSERT_TRUE(
      run("ffmpeg -v error -y -f lavfi -i anullsrc=r=8000:cl=mono -t 0.5 "
          "-metadata title='\u00afycie w \u0153rodowisku lokalnym' "
          "-metadata artist='Redakcja Pomocy Spo\u00b3ecznej' " +
          quoted(mp3)));
  const Extraction extraction = extract_file(mp3);
  EXPECT_EQ(extraction.title, "Życie w środowisku lokalnym");
  EXPECT_EQ(extraction.artist, "Redakcja Pomocy Społecznej");
}

}  // namespace
}  // namespace mediateka::media
