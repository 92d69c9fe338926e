// Audio and video extraction (libavformat): stream summary, tags, chapters, embedded
// subtitles, sidecar transcripts and the errors for unusable files. Fixtures are made once per
// run with ffmpeg and espeak-ng in a temporary folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "extraction.h"
#include "media_test_support.h"

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;
using namespace mediateka::test;

constexpr const char* kSubtitles =
    "1\n00:00:00,500 --> 00:00:01,500\n<i>Dzień dobry</i> państwu\n\n"
    "2\n00:00:02,000 --> 00:00:02,800\n{\\an8}Druga kwestia\n";

constexpr const char* kChapters =
    ";FFMETADATA1\n"
    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Wstęp\n"
    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=Rozmowa z Łucją\n";

// Three seconds of a blue 160x120 picture and a 440 Hz tone, shared by the tests below.
class AvExtraction : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!tool_available("ffmpeg")) return;
    dir_ = std::make_unique<TemporaryFolder>("media_av_test.");
    const fs::path& dir = dir_->path();
    write_file(dir / "napisy.srt", kSubtitles);
    write_file(dir / "rozdzialy.txt", kChapters);
    const std::string inputs =
        "ffmpeg -v error -y -f lavfi -i color=c=blue:s=160x120:d=3 "
        "-f lavfi -i sine=frequency=440:duration=3 -i " +
        quoted(dir / "napisy.srt") + " -i " + quoted(dir / "rozdzialy.txt") +
        " -map 0 -map 1 -map 2 -map_chapters 3 -c:v libx264 -preset ultrafast -c:a aac ";
    made_mp4_ = run(inputs +
                    "-c:s mov_text -metadata title='Film o integracji' "
                    "-metadata date=2013-05-14 -metadata comment='Opis filmu' "
                    "-metadata:s:s:0 language=pol " +
                    quoted(dir / "film.mp4"));
    made_mkv_ = run(inputs +
                    "-c:s srt -metadata title='Łódź – reportaż' -metadata date=2012 "
                    "-metadata description='Reportaż o pomocy' -metadata:s:a:0 language=pol " +
                    quoted(dir / "film.mkv"));
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    if (!dir_) GTEST_SKIP() << "ffmpeg is not installed";
    ASSERT_TRUE(made_mp4_ && made_mkv_) << "ffmpeg could not make the fixtures";
  }

  static const fs::path& dir() { return dir_->path(); }

  static std::unique_ptr<TemporaryFolder> dir_;
  static bool made_mp4_, made_mkv_;
};

std::unique_ptr<TemporaryFolder> AvExtraction::dir_;
bool AvExtraction::made_mp4_ = false;
bool AvExtraction::made_mkv_ = false;

// ffmpeg shifts the MKV's video and subtitles by the AAC encoder delay (23 ms at 44.1 kHz).
void expect_fixture_cues(const std::vector<Segment>& segments) {
  constexpr double kTolerance = 0.03;
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_EQ(segments[0].page, 0);
  EXPECT_NEAR(segments[0].start_s, 0.5, kTolerance);
  EXPECT_NEAR(segments[0].end_s, 1.5, kTolerance);
  EXPECT_EQ(segments[0].text, "Dzień dobry państwu");
  EXPECT_NEAR(segments[1].start_s, 2.0, kTolerance);
  EXPECT_NEAR(segments[1].end_s, 2.8, kTolerance);
  EXPECT_EQ(segments[1].text, "Druga kwestia");
}

void expect_fixture_chapters(const std::vector<Chapter>& chapters) {
  ASSERT_EQ(chapters.size(), 2u);
  EXPECT_EQ(chapters[0].title, "Wstęp");
  EXPECT_NEAR(chapters[0].start_s, 0.0, 0.001);
  EXPECT_NEAR(chapters[0].end_s, 1.5, 0.001);
  EXPECT_EQ(chapters[1].title, "Rozmowa z Łucją");
  EXPECT_NEAR(chapters[1].start_s, 1.5, 0.001);
  EXPECT_NEAR(chapters[1].end_s, 3.0, 0.001);
}

TEST_F(AvExtraction, Mp4WithMovTextSubtitlesChaptersAndTags) {
  const Extraction extraction = extract_file(dir() / "film.mp4");
  EXPECT_EQ(extraction.kind, MediaKind::video);
  EXPECT_EQ(extraction.mime, "video/mp4");
  EXPECT_EQ(extraction.media.container, "mp4");
  EXPECT_EQ(extraction.media.video, "h264 160x120");
  EXPECT_EQ(extraction.media.audio, "aac 44100 Hz 1 ch");
  ASSERT_TRUE(extraction.duration_s);
  EXPECT_NEAR(*extraction.duration_s, 3.0, 0.1);
  EXPECT_EQ(extraction.title, "Film o integracji");
  EXPECT_EQ(extraction.date, "2013-05-14");
  EXPECT_EQ(extraction.description, "Opis filmu");
  EXPECT_EQ(extraction.language, "");  // the tracks say "und"
  EXPECT_FALSE(extraction.pages);
  expect_fixture_chapters(extraction.chapters);
  expect_fixture_cues(extraction.segments);
  EXPECT_TRUE(extraction.warnings.empty());
}

TEST_F(AvExtraction, MatroskaWithSubripSubtitlesAndUpperCaseTags) {
  const Extraction extraction = extract_file(dir() / "film.mkv");
  EXPECT_EQ(extraction.kind, MediaKind::video);
  EXPECT_EQ(extraction.mime, "video/x-matroska");
  EXPECT_EQ(extraction.media.container, "matroska");
  EXPECT_EQ(extraction.media.video, "h264 160x120");
  ASSERT_TRUE(extraction.duration_s);
  EXPECT_NEAR(*extraction.duration_s, 3.0, 0.1);
  EXPECT_EQ(extraction.title, "Łódź – reportaż");
  EXPECT_EQ(extraction.date, "2012");
  EXPECT_EQ(extraction.description, "Reportaż o pomocy");
  EXPECT_EQ(extraction.language, "pl");
  expect_fixture_chapters(extraction.chapters);
  expect_fixture_cues(extraction.segments);
}

TEST_F(AvExtraction, SidecarTranscriptReplacesEmbeddedSubtitles) {
  const fs::path folder = dir() / "z_transkrypcja";
  fs::create_directories(folder);
  fs::copy_file(dir() / "film.mkv", folder / "wywiad.mkv", fs::copy_options::overwrite_existing);
  write_file(folder / "wywiad.srt",
             "1\n00:00:00,000 --> 00:00:01,000\nTranskrypcja rozmowy\n\n"
             "2\n00:00:0x,000 --> 00:00:02,000\nzepsute\n");
  const Extraction extraction = extract_file(folder / "wywiad.mkv");
  ASSERT_EQ(extraction.segments.size(), 1u);
  EXPECT_EQ(extraction.segments[0].text, "Transkrypcja rozmowy");
  EXPECT_NEAR(extraction.segments[0].end_s, 1.0, 0.001);
  ASSERT_EQ(extraction.warnings.size(), 2u);
  EXPECT_EQ(extraction.warnings[0],
            "wywiad.srt line 6: bad timestamp '00:00:0x,000 --> 00:00:02,000'");
  EXPECT_EQ(extraction.warnings[1], "embedded subtitles ignored: transcript wywiad.srt used");
}

TEST_F(AvExtraction, TruncatedMp4IsAnError) {
  const std::string whole = read_file(dir() / "film.mp4");
  write_file(dir() / "obciety.mp4", whole.substr(0, whole.size() * 2 / 5));
  EXPECT_EQ(error_of(dir() / "obciety.mp4").rfind("damaged or truncated mov file", 0), 0u)
      << error_of(dir() / "obciety.mp4");
}

TEST_F(AvExtraction, TruncatedMatroskaGivesWhatItHas) {
  const std::string whole = read_file(dir() / "film.mkv");
  write_file(dir() / "obciety.mkv", whole.substr(0, whole.size() * 3 / 5));
  const Extraction extraction = extract_file(dir() / "obciety.mkv");
  EXPECT_EQ(extraction.kind, MediaKind::video);
  EXPECT_LE(extraction.segments.size(), 2u);
  for (const Segment& segment : extraction.segments) EXPECT_FALSE(segment.text.empty());
}

TEST_F(AvExtraction, Mp3WithTagsAndCoverArtIsAudio) {
  const fs::path mp3 = dir() / "audycja.mp3";
  ASSERT_TRUE(
      run("ffmpeg -v error -y -f lavfi -i sine=frequency=300:duration=2 "
          "-f lavfi -i color=c=red:s=64x64:d=1 -map 0 -map 1 -frames:v 1 "
          "-c:a libmp3lame -c:v mjpeg -disposition:v attached_pic "
          "-metadata title='Audycja o wykluczeniu' -metadata artist='Radio Mazowsze' "
          "-metadata album='Rozmowy' -metadata genre=Speech -metadata date=2011 "
          "-metadata comment='Rozmowa z ekspertką' " +
          quoted(mp3)));
  const Extraction extraction = extract_file(mp3);
  EXPECT_EQ(extraction.kind, MediaKind::audio);
  EXPECT_EQ(extraction.mime, "audio/mpeg");
  EXPECT_EQ(extraction.media.container, "mp3");
  EXPECT_EQ(extraction.media.video, "");
  EXPECT_EQ(extraction.media.audio.rfind("mp3 44100 Hz 1 ch", 0), 0u) << extraction.media.audio;
  ASSERT_TRUE(extraction.duration_s);
  EXPECT_NEAR(*extraction.duration_s, 2.0, 0.15);
  EXPECT_EQ(extraction.title, "Audycja o wykluczeniu");
  EXPECT_EQ(extraction.artist, "Radio Mazowsze");
  EXPECT_EQ(extraction.album, "Rozmowy");
  EXPECT_EQ(extraction.genre, "Speech");
  EXPECT_EQ(extraction.date, "2011");
  EXPECT_EQ(extraction.description, "Rozmowa z ekspertką");
}

TEST_F(AvExtraction, OggVorbisCommentsOnTheStream) {
  const fs::path ogg = dir() / "audycja.ogg";
  ASSERT_TRUE(
      run("ffmpeg -v error -y -f lavfi -i sine=frequency=300:duration=2 -c:a libvorbis "
          "-metadata title='Głos seniorów' -metadata date=2013-05-14T10:00:00Z "
          "-metadata artist='Polskie Radio' -metadata language=pol " +
          quoted(ogg)));
  const Extraction extraction = extract_file(ogg);
  EXPECT_EQ(extraction.kind, MediaKind::audio);
  EXPECT_EQ(extraction.mime, "audio/ogg");
  EXPECT_EQ(extraction.media.container, "ogg");
  EXPECT_EQ(extraction.media.audio, "vorbis 44100 Hz 1 ch");
  EXPECT_EQ(extraction.title, "Głos seniorów");
  EXPECT_EQ(extraction.date, "2013-05-14");
  EXPECT_EQ(extraction.artist, "Polskie Radio");
  EXPECT_EQ(extraction.language, "pl");
  ASSERT_TRUE(extraction.duration_s);
  EXPECT_NEAR(*extraction.duration_s, 2.0, 0.1);
}

TEST_F(AvExtraction, SpeechWavWithVttSidecar) {
  if (!tool_available("espeak-ng")) GTEST_SKIP() << "espeak-ng is not installed";
  const fs::path wav = dir() / "komunikat.wav";
  ASSERT_TRUE(run("espeak-ng -v pl -w " + quoted(wav) +
                  " 'Dzień dobry, tu Regionalny Ośrodek Polityki Społecznej.'"));
  write_file(dir() / "komunikat.vtt",
             "WEBVTT\n\n00:00.000 --> 00:01.200\nDzień dobry,\n\n"
             "00:01.200 --> 00:03.000 align:start\n<v Lektor>tu Regionalny Ośrodek</v>\n");
  const Extraction extraction = extract_file(wav);
  EXPECT_EQ(extraction.kind, MediaKind::audio);
  EXPECT_EQ(extraction.mime, "audio/wav");
  EXPECT_EQ(extraction.media.container, "wav");
  EXPECT_EQ(extraction.media.audio, "pcm_s16le 22050 Hz 1 ch");
  ASSERT_TRUE(extraction.duration_s);
  EXPECT_GT(*extraction.duration_s, 1.0);
  EXPECT_LT(*extraction.duration_s, 15.0);
  ASSERT_EQ(extraction.segments.size(), 2u);
  EXPECT_EQ(extraction.segments[1].text, "tu Regionalny Ośrodek");
  EXPECT_NEAR(extraction.segments[1].start_s, 1.2, 0.001);
  EXPECT_TRUE(extraction.warnings.empty());
}

TEST_F(AvExtraction, UnusableFilesAreErrors) {
  std::mt19937 random(42);
  std::string noise(20000, '\0');
  for (auto& byte : noise) byte = static_cast<char>(random());
  write_file(dir() / "szum.mp4", noise);
  EXPECT_EQ(error_of(dir() / "szum.mp4"), "not a PDF or media file libavformat recognises");
  write_file(dir() / "pusty.mp4", "");
  EXPECT_EQ(error_of(dir() / "pusty.mp4"), "empty file");
  write_file(dir() / "notatka.txt", "Zwykła notatka, nie nagranie.\n");
  EXPECT_NE(error_of(dir() / "notatka.txt"), "no error");
  EXPECT_EQ(error_of(dir() / "napisy.srt"), "no audio or video stream (srt)");
  ASSERT_TRUE(run("ffmpeg -v error -y -f lavfi -i color=c=red:s=32x32:d=1 -frames:v 1 " +
                  quoted(dir() / "okladka.png")));
  // A picture is not a recording: it is read as a scan (media_real_documents_test), and a
  // plain red square holds no text.
  const Extraction picture = extract_file(dir() / "okladka.png");
  EXPECT_EQ(picture.kind, MediaKind::image);
  EXPECT_TRUE(picture.segments.empty());
  ASSERT_EQ(picture.warnings.size(), 1u);
  EXPECT_EQ(picture.warnings[0], "OCR found no text in the picture");
}

}  // namespace
}  // namespace mediateka::media
