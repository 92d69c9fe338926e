// PDF extraction (poppler-cpp), content sniffing and the Extraction JSON round trip.
// Fixtures are made at test time with python3-reportlab and DejaVu fonts.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "extraction.h"
#include "media_test_support.h"

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;
using namespace mediateka::test;

const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const char* const kPolishTitle = "Łódź – reportaż o pomocy społecznej";

#define REQUIRE_REPORTLAB()                                                      \
  do {                                                                           \
    if (python_with_reportlab().empty() || !fs::exists(kDejaVu))                 \
      GTEST_SKIP() << "python3-reportlab or fonts-dejavu-core is not installed"; \
  } while (0)

// Four pages (the second blank), Polish metadata and text; creation date fixed by invariant=1.
std::string report_script(const fs::path& output, const std::string& encrypt_argument = "") {
  return R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib import pdfencrypt
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
         std::string(kDejaVu) + R"('))
c = canvas.Canvas(')" +
         output.string() + "', invariant=1" + encrypt_argument + R"()
c.setTitle(')" +
         kPolishTitle + R"(')
c.setAuthor('Zespół Redakcyjny ROPS')
c.setSubject('Pomoc społeczna na Mazowszu')
c.setKeywords('integracja, wykluczenie, ośrodek')
pages = ['Wstęp: zażółć gęślą jaźń.', '',
         'Ośrodek pomocy społecznej w Łodzi prowadzi zajęcia dla seniorów.',
         'Zakończenie    raportu\tz   odstępami.']
for text in pages:
    c.setFont('DejaVu', 12)
    if text:
        c.drawString(72, 720, text)
    c.showPage()
c.save()
)";
}

class PdfExtraction : public ::testing::Test {
 protected:
  TemporaryFolder dir{"media_pdf_test."};
};

TEST_F(PdfExtraction, ReadsPolishMetadataAndTextPerPage) {
  REQUIRE_REPORTLAB();
  const fs::path pdf = dir.path() / "raport.pdf";
  ASSERT_TRUE(run_python(dir.path(), report_script(pdf)));

  const Extraction extraction = extract_file(pdf);
  EXPECT_EQ(extraction.kind, MediaKind::pdf);
  EXPECT_EQ(extraction.mime, "application/pdf");
  ASSERT_TRUE(extraction.pages);
  EXPECT_EQ(*extraction.pages, 4);
  EXPECT_EQ(extraction.title, kPolishTitle);
  EXPECT_EQ(extraction.author, "Zespół Redakcyjny ROPS");
  EXPECT_EQ(extraction.subject, "Pomoc społeczna na Mazowszu");
  EXPECT_EQ(extraction.keywords, "integracja, wykluczenie, ośrodek");
  EXPECT_EQ(extraction.date, "2000-01-01");  // reportlab's invariant creation date
  EXPECT_FALSE(extraction.duration_s);

  ASSERT_EQ(extraction.segments.size(), 3u);  // the blank page 2 has no segment
  EXPECT_EQ(extraction.segments[0].page, 1);
  EXPECT_EQ(extraction.segments[0].text, "Wstęp: zażółć gęślą jaźń.");
  EXPECT_EQ(extraction.segments[1].page, 3);
  EXPECT_NE(extraction.segments[1].text.find("Ośrodek pomocy społecznej w Łodzi"),
            std::string::npos);
  EXPECT_EQ(extraction.segments[2].page, 4);
  EXPECT_EQ(extraction.segments[2].text, "Zakończenie raportu z odstępami.");
  EXPECT_TRUE(extraction.warnings.empty());
}

TEST_F(PdfExtraction, SniffsContentNotName) {
  REQUIRE_REPORTLAB();
  const fs::path pdf = dir.path() / "raport.bin";
  ASSERT_TRUE(run_python(dir.path(), report_script(pdf)));
  EXPECT_EQ(extract_file(pdf).pages, 4);
}

// A title in PDFDocEncoding (no byte order mark): 0x85 is an en dash, 0x9B 'ł', 0x95 'Ł'
// (PDF 1.7 table D.2); poppler-cpp's own decoding loses them.
TEST_F(PdfExtraction, DecodesPdfDocEncodingTitle) {
  const std::string title_bytes = "Pomoc spo\x9B\x65\x63zna \x85 \x95\xF3\x64zkie";
  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length 41 >>\nstream\nBT /F1 12 Tf 20 100 Td (Hello PDF) Tj ET\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Title (" + title_bytes +
          ") /Author (Jan Kowalski) /CreationDate (D:20130514100000+02'00') >>",
  };
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < std::size(objects); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
         " /Root 1 0 R /Info 6 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  const fs::path file = dir.path() / "pdfdoc.pdf";
  write_file(file, pdf);

  const Extraction extraction = extract_file(file);
  EXPECT_EQ(extraction.title, "Pomoc społeczna – Łódzkie");
  EXPECT_EQ(extraction.author, "Jan Kowalski");
  EXPECT_EQ(extraction.date, "2013-05-14");
  EXPECT_EQ(extraction.pages, 1);
  ASSERT_EQ(extraction.segments.size(), 1u);
  EXPECT_EQ(extraction.segments[0].text, "Hello PDF");
}

TEST_F(PdfExtraction, TruncatedPdfIsAnError) {
  REQUIRE_REPORTLAB();
  const fs::path pdf = dir.path() / "raport.pdf";
  ASSERT_TRUE(run_python(dir.path(), report_script(pdf)));
  const fs::path truncated = dir.path() / "obciety.pdf";
  write_file(truncated, read_file(pdf).substr(0, 300));
  try {
    extract_file(truncated);
    FAIL() << "expected ExtractionError";
  } catch (const ExtractionError& error) {
    EXPECT_STREQ(error.what(), "PDF is damaged or truncated");
  }
}

TEST_F(PdfExtraction, PasswordProtectedPdfIsAnError) {
  REQUIRE_REPORTLAB();
  const fs::path pdf = dir.path() / "tajny.pdf";
  ASSERT_TRUE(run_python(
      dir.path(),
      report_script(pdf, ", encrypt=pdfencrypt.StandardEncryption('tajne', ownerPassword='x')")));
  try {
    extract_file(pdf);
    FAIL() << "expected ExtractionError";
  } catch (const ExtractionError& error) {
    EXPECT_STREQ(error.what(), "PDF is password-protected");
  }
}

TEST_F(PdfExtraction, OwnerPasswordOnlyPdfIsRead) {
  REQUIRE_REPORTLAB();
  const fs::path pdf = dir.path() / "chroniony.pdf";
  ASSERT_TRUE(run_python(dir.path(), report_script(pdf,
                                                   ", encrypt=pdfencrypt.StandardEncryption('', "
                                                   "ownerPassword='wlasciciel', canPrint=0)")));
  const Extraction extraction = extract_file(pdf);
  EXPECT_EQ(extraction.pages, 4);
  EXPECT_EQ(extraction.title, kPolishTitle);
  ASSERT_EQ(extraction.segments.size(), 3u);
  EXPECT_NE(extraction.segments[1].text.find("pomocy społecznej"), std::string::npos);
}

TEST_F(PdfExtraction, UnusableFilesAreErrors) {
  write_file(dir.path() / "pusty.pdf", "");
  EXPECT_EQ(error_of(dir.path() / "pusty.pdf"), "empty file");
  write_file(dir.path() / "tekst.pdf", "To nie jest PDF, tylko zwykły tekst.\n");
  EXPECT_EQ(error_of(dir.path() / "tekst.pdf"), "not a PDF (no %PDF- header): damaged or misnamed");
  EXPECT_EQ(error_of(dir.path() / "brak.pdf"), "file not found");
  EXPECT_EQ(error_of(dir.path()), "not a regular file");
  write_file(dir.path() / "uszkodzony.pdf", "%PDF-1.4\n\x01\x02garbage\n");
  EXPECT_EQ(error_of(dir.path() / "uszkodzony.pdf"), "PDF is damaged or truncated");
}

TEST(ExtractionJson, RoundTrips) {
  Extraction original;
  original.kind = MediaKind::video;
  original.mime = "video/mp4";
  original.title = "Łódź – film";
  original.description = "Opis";
  original.date = "2013-05-14";
  original.language = "pl";
  original.duration_s = 912.4;
  original.chapters = {{"Wstęp", 0, 30.5}, {"Rozmowa", 30.5, 0}};
  original.media = {"mp4", "h264 1280x720", "aac 48000 Hz 2 ch"};
  original.segments = {{0, 1.5, 3.25, "Dzień dobry"}, {0, 4, 5, "Żegnamy"}};
  original.warnings = {"film.srt line 12: bad timestamp '00:0x:01,000'"};

  const nlohmann::json json = to_json(original);
  const Extraction copy = extraction_from_json(nlohmann::json::parse(json.dump()));
  EXPECT_EQ(to_json(copy), json);
  EXPECT_EQ(copy.kind, MediaKind::video);
  EXPECT_EQ(copy.title, "Łódź – film");
  EXPECT_FALSE(copy.pages);
  EXPECT_DOUBLE_EQ(*copy.duration_s, 912.4);
  ASSERT_EQ(copy.chapters.size(), 2u);
  EXPECT_EQ(copy.chapters[1].title, "Rozmowa");
  EXPECT_DOUBLE_EQ(copy.chapters[0].end_s, 30.5);
  ASSERT_EQ(copy.segments.size(), 2u);
  EXPECT_EQ(copy.segments[1].text, "Żegnamy");
  EXPECT_EQ(copy.media.video, "h264 1280x720");
  EXPECT_EQ(copy.warnings, original.warnings);

  Extraction pdf;
  pdf.pages = 48;
  pdf.segments = {{5, 0, 0, "strona piąta"}};
  const Extraction pdf_copy = extraction_from_json(to_json(pdf));
  EXPECT_EQ(pdf_copy.kind, MediaKind::pdf);
  EXPECT_EQ(pdf_copy.pages, 48);
  EXPECT_EQ(pdf_copy.segments[0].page, 5);

  EXPECT_THROW(extraction_from_json(nlohmann::json{{"kind", "obraz"}}), nlohmann::json::exception);
  EXPECT_THROW(extraction_from_json(nlohmann::json::object()), nlohmann::json::exception);
}

}  // namespace
}  // namespace mediateka::media
