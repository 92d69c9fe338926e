// Covers: the first page of a PDF, a frame of a video, cover art of an audio file, as PNG.
// Fixtures are made at test time with python3-reportlab and ffmpeg in a temporary folder.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "cover.h"
#include "media_test_support.h"

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;
using namespace mediateka::test;

struct PngSize {
  std::uint32_t width = 0, height = 0;
};

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

// The PNG signature, then the IHDR chunk first with the picture's size.
::testing::AssertionResult is_png(const fs::path& file, PngSize& size) {
  const std::string bytes = read_file(file);
  if (bytes.size() < 33) return ::testing::AssertionFailure() << file << " is too short";
  if (bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0)
    return ::testing::AssertionFailure() << file << " has no PNG signature";
  if (bytes.compare(12, 4, "IHDR") != 0)
    return ::testing::AssertionFailure() << file << " does not start with IHDR";
  size = {big_endian(bytes, 16), big_endian(bytes, 20)};
  return ::testing::AssertionSuccess();
}

// The colour at the centre of a PNG, decoded by the ffmpeg tool: "rrggbb" in hex.
std::string centre_colour(const fs::path& png, const fs::path& dir) {
  const fs::path pixel = dir / "pixel.rgb";
  if (!run("ffmpeg -v error -y -i " + quoted(png) +
           " -vf 'crop=1:1:iw/2:ih/2' -f rawvideo -pix_fmt rgb24 " + quoted(pixel)))
    return "";
  const std::string rgb = read_file(pixel);
  if (rgb.size() != 3) return "";
  char hex[7];
  std::snprintf(hex, sizeof hex, "%02x%02x%02x", static_cast<unsigned char>(rgb[0]),
                static_cast<unsigned char>(rgb[1]), static_cast<unsigned char>(rgb[2]));
  return hex;
}

std::string error_of(const fs::path& file, MediaKind kind, const fs::path& png) {
  try {
    render_cover(file, kind, png);
  } catch (const ExtractionError& error) {
    return error.what();
  }
  return "no error";
}

// Fixtures shared by the tests: an A4 PDF (a red block in the middle of page 1), a locked PDF, a
// landscape PDF, a 3-second 4:3 video red for 0.2 s then blue (so the first frame is not the
// representative one), a truncated copy, an MP3 with no picture and one with cover art.
class Covers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TemporaryFolder>("media_cover_test.");
    const fs::path& dir = dir_->path();
    if (!python_with_reportlab().empty()) {
      made_pdfs_ = run_python(dir, R"(
from reportlab.pdfgen import canvas
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4, landscape
def make(name, size=A4, **options):
    c = canvas.Canvas(')" + dir.string() +
                                       R"(/' + name, pagesize=size, **options)
    c.setFont('Helvetica', 24)
    c.drawString(72, 720, 'Cover page')
    c.setFillColorRGB(1, 0, 0)  # a red block over the centre of the first page
    c.rect(100, 200, size[0] - 200, size[1] - 400, fill=1, stroke=0)
    c.showPage()
    c.drawString(72, 720, 'Second page')
    c.showPage()
    c.save()
make('raport.pdf')
make('poziomy.pdf', size=landscape(A4))
make('zablokowany.pdf', encrypt=pdfencrypt.StandardEncryption('tajne', ownerPassword='x'))
)");
    }
    if (tool_available("ffmpeg")) {
      made_media_ =
          run("ffmpeg -v error -y -f lavfi -i color=c=red:s=320x240:d=0.2:r=25 -f lavfi -i "
              "color=c=blue:s=320x240:d=2.8:r=25 -filter_complex '[0][1]concat=n=2:v=1' "
              "-c:v libx264 -preset ultrafast -pix_fmt yuv420p " +
              quoted(dir / "film.mp4")) &&
          run("ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=2 -c:a libmp3lame " +
              quoted(dir / "audycja.mp3")) &&
          run("ffmpeg -v error -y -f lavfi -i color=c=green:s=200x200:d=1 -frames:v 1 " +
              quoted(dir / "okladka.png")) &&
          run("ffmpeg -v error -y -i " + quoted(dir / "audycja.mp3") + " -i " +
              quoted(dir / "okladka.png") +
              " -map 0 -map 1 -c:a copy -c:v png -disposition:v attached_pic " +
              quoted(dir / "z-okladka.mp3"));
      if (made_media_) {
        // ffmpeg writes the MP4 index (moov) last: half the file has no index at all.
        const std::string film = read_file(dir / "film.mp4");
        write_file(dir / "urwany.mp4", film.substr(0, film.size() / 2));
      }
    }
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static const fs::path& dir() { return dir_->path(); }

  static std::unique_ptr<TemporaryFolder> dir_;
  static bool made_pdfs_, made_media_;
};

std::unique_ptr<TemporaryFolder> Covers::dir_;
bool Covers::made_pdfs_ = false;
bool Covers::made_media_ = false;

#define REQUIRE_PDFS()                                                                         \
  do {                                                                                         \
    if (python_with_reportlab().empty()) GTEST_SKIP() << "python3-reportlab is not installed"; \
    ASSERT_TRUE(made_pdfs_) << "reportlab could not make the fixtures";                        \
  } while (0)

#define REQUIRE_MEDIA()                                                       \
  do {                                                                        \
    if (!tool_available("ffmpeg")) GTEST_SKIP() << "ffmpeg is not installed"; \
    ASSERT_TRUE(made_media_) << "ffmpeg could not make the fixtures";         \
  } while (0)

TEST_F(Covers, PdfFirstPageAtRequestedWidth) {
  REQUIRE_PDFS();
  const fs::path png = dir() / "raport.png";
  render_cover(dir() / "raport.pdf", MediaKind::pdf, png);
  PngSize size;
  ASSERT_TRUE(is_png(png, size));
  EXPECT_EQ(size.width, 320u);
  EXPECT_NEAR(size.height, 320 * 842 / 595, 1);  // A4 is 595 x 842 points

  render_cover(dir() / "raport.pdf", MediaKind::pdf, png, 150);  // replaces the old cover
  ASSERT_TRUE(is_png(png, size));
  EXPECT_EQ(size.width, 150u);
  EXPECT_EQ(centre_colour(png, dir()), "ff0000");  // channels in RGB order
}

TEST_F(Covers, LandscapePdfIsWiderThanTall) {
  REQUIRE_PDFS();
  const fs::path png = dir() / "poziomy.png";
  render_cover(dir() / "poziomy.pdf", MediaKind::pdf, png, 400);
  PngSize size;
  ASSERT_TRUE(is_png(png, size));
  EXPECT_EQ(size.width, 400u);
  EXPECT_NEAR(size.height, 400 * 595 / 842, 1);
}

TEST_F(Covers, LockedPdfThrowsAndWritesNothing) {
  REQUIRE_PDFS();
  const fs::path png = dir() / "zablokowany.png";
  EXPECT_EQ(error_of(dir() / "zablokowany.pdf", MediaKind::pdf, png), "PDF is password-protected");
  EXPECT_FALSE(fs::exists(png));
}

TEST_F(Covers, VideoFrameFromTenPercentIn) {
  REQUIRE_MEDIA();
  const fs::path png = dir() / "film.png";
  render_cover(dir() / "film.mp4", MediaKind::video, png, 160);
  PngSize size;
  ASSERT_TRUE(is_png(png, size));
  EXPECT_EQ(size.width, 160u);
  EXPECT_EQ(size.height, 120u);
  // 10% of 3 s is 0.3 s, past the red leader: the cover is blue.
  const std::string colour = centre_colour(png, dir());
  ASSERT_EQ(colour.size(), 6u);
  EXPECT_LT(std::stoi(colour.substr(0, 2), nullptr, 16), 0x30) << colour;
  EXPECT_GT(std::stoi(colour.substr(4, 2), nullptr, 16), 0xc0) << colour;
}

TEST_F(Covers, OddHeightsAreMadeEven) {
  REQUIRE_MEDIA();
  const fs::path png = dir() / "film-100.png";
  render_cover(dir() / "film.mp4", MediaKind::video, png, 100);  // 75 px would be odd
  PngSize size;
  ASSERT_TRUE(is_png(png, size));
  EXPECT_EQ(size.width, 100u);
  EXPECT_EQ(size.height % 2, 0u);
  EXPECT_NEAR(size.height, 75, 1);
}

TEST_F(Covers, TruncatedVideoThrowsAndWritesNothing) {
  REQUIRE_MEDIA();
  const fs::path png = dir() / "urwany.png";
  EXPECT_NE(error_of(dir() / "urwany.mp4", MediaKind::video, png), "no error");
  EXPECT_FALSE(fs::exists(png));
}

TEST_F(Covers, AudioHasNoCoverUnlessItCarriesArt) {
  REQUIRE_MEDIA();
  EXPECT_EQ(error_of(dir() / "audycja.mp3", MediaKind::audio, dir() / "audycja.png"),
            "no picture in an audio file");
  const fs::path png = dir() / "z-okladka.png";
  render_cover(dir() / "z-okladka.mp3", MediaKind::audio, png, 64);
  PngSize size;
  ASSERT_TRUE(is_png(png, size));
  EXPECT_EQ(size.width, 64u);
  EXPECT_EQ(size.height, 64u);
  const std::string colour = centre_colour(png, dir());
  ASSERT_EQ(colour.size(), 6u);
  EXPECT_GT(std::stoi(colour.substr(2, 2), nullptr, 16), 0x60) << colour;  // green
}

TEST_F(Covers, NoTemporaryFilesAreLeftBehind) {
  REQUIRE_PDFS();
  const fs::path out = dir() / "covers";
  fs::create_directory(out);
  render_cover(dir() / "raport.pdf", MediaKind::pdf, out / "a.png");
  EXPECT_NE(error_of(dir() / "zablokowany.pdf", MediaKind::pdf, out / "b.png"), "no error");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(entry.path().filename(), "a.png");
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(CoverArguments, WidthOutOfRange) {
  EXPECT_THROW(render_cover("/nonexistent.pdf", MediaKind::pdf, "/tmp/x.png", 0),
               std::invalid_argument);
}

}  // namespace
}  // namespace mediateka::media
