// The tolerant SRT / WebVTT reader and the text helpers behind it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "subtitles.h"
#include "text_util.h"

namespace mediateka::media {
namespace {

using Texts = std::vector<std::string>;

// What the reader makes of a file: its cues and warnings.
struct Parsed {
  std::vector<Segment> cues;
  Texts warnings;

  // The cues' texts, in order.
  Texts texts() const {
    Texts texts;
    for (const Segment& cue : cues) texts.push_back(cue.text);
    return texts;
  }
};

Parsed parse(std::string_view text, const std::string& name = "film.srt") {
  Parsed parsed;
  parsed.cues = parse_subtitles(text, name, parsed.warnings);
  return parsed;
}

TEST(SubtitleTime, AcceptsSrtAndVttForms) {
  EXPECT_DOUBLE_EQ(*parse_subtitle_time("01:02:03,456"), 3723.456);
  EXPECT_DOUBLE_EQ(*parse_subtitle_time("01:02:03.456"), 3723.456);
  EXPECT_DOUBLE_EQ(*parse_subtitle_time("02:03.5"), 123.5);
  EXPECT_DOUBLE_EQ(*parse_subtitle_time("00:00:07"), 7.0);
  EXPECT_FALSE(parse_subtitle_time("00:0x:01,000"));
  EXPECT_FALSE(parse_subtitle_time("00:00:61,000"));
  EXPECT_FALSE(parse_subtitle_time("12"));
  EXPECT_FALSE(parse_subtitle_time(""));
}

TEST(Subtitles, ReadsPlainSrt) {
  const Parsed parsed = parse(
      "1\n00:00:01,000 --> 00:00:03,500\nDzień dobry.\n\n"
      "2\n00:00:04,000 --> 00:00:06,000\nDruga linia\ni ciąg dalszy\n");
  ASSERT_EQ(parsed.texts(), Texts({"Dzień dobry.", "Druga linia i ciąg dalszy"}));
  EXPECT_EQ(parsed.cues[0].page, 0);
  EXPECT_DOUBLE_EQ(parsed.cues[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(parsed.cues[0].end_s, 3.5);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(Subtitles, ToleratesBomCrlfMissingBlankLinesAndNumbers) {
  const Parsed parsed = parse(
      "\xEF\xBB\xBF"
      "1\r\n00:00:01,000 --> 00:00:02,000\r\nPierwsza\r\n"
      "2\r\n00:00:02,000 --> 00:00:03,000\r\nDruga\r\n"
      "00:00:03,000 --> 00:00:04,000\r\nTrzecia bez numeru\r\n");
  ASSERT_EQ(parsed.texts(), Texts({"Pierwsza", "Druga", "Trzecia bez numeru"}));
  EXPECT_DOUBLE_EQ(parsed.cues[2].start_s, 3.0);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(Subtitles, StripsMarkup) {
  const Parsed parsed = parse(
      "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Kursywa</i> i <b>gruby</b>\n\n"
      "2\n00:00:03,000 --> 00:00:04,000\n<font color=\"#ffff00\">Żółty</font> &amp; reszta\n");
  EXPECT_EQ(parsed.texts(), Texts({"Kursywa i gruby", "Żółty & reszta"}));
}

TEST(Subtitles, WarnsAboutBrokenTimestampAndSkipsThatCue) {
  const Parsed parsed = parse(
      "1\n00:00:01,000 --> 00:00:02,000\nDobra\n\n"
      "2\n00:0x:01,000 --> 00:00:05,000\nZepsuta\n\n"
      "3\n00:00:06,000 --> 00:00:07,000\nTeż dobra\n");
  EXPECT_EQ(parsed.texts(), Texts({"Dobra", "Też dobra"}));
  EXPECT_EQ(parsed.warnings,
            Texts({"film.srt line 6: bad timestamp '00:0x:01,000 --> 00:00:05,000'"}));
}

TEST(Subtitles, WarnsAboutTimestampLineWithoutArrow) {
  const Parsed parsed = parse(
      "1\n00:00:01,000 00:00:02,000\nBez strzałki\n\n2\n00:00:03,000 --> 00:00:04,000\nDobra\n");
  EXPECT_EQ(parsed.texts(), Texts({"Dobra"}));
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_NE(parsed.warnings[0].find("film.srt line 2: bad timestamp"), std::string::npos);
}

TEST(Subtitles, ReadsWebVtt) {
  const Parsed parsed = parse(
      "WEBVTT - transkrypcja\n\n"
      "NOTE to jest komentarz\nna dwie linie\n\n"
      "STYLE\n::cue { color: yellow }\n\n"
      "intro\n00:01.000 --> 00:02.500 align:start position:10%\n"
      "<v Anna>Witamy <c.yellow>w programie</c></v>\n\n"
      "01:00:00.000 --> 01:00:01.000\n<00:00:00.500>Godzina później\n",
      "audycja.vtt");
  ASSERT_EQ(parsed.texts(), Texts({"Witamy w programie", "Godzina później"}));
  EXPECT_DOUBLE_EQ(parsed.cues[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(parsed.cues[0].end_s, 2.5);
  EXPECT_DOUBLE_EQ(parsed.cues[1].start_s, 3600.0);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(Subtitles, ReadsWindows1250AndUtf16) {
  // "Łódź" in Windows-1250: A3 F3 64 9F.
  const Parsed windows = parse("1\n00:00:01,000 --> 00:00:02,000\n\xA3\xF3\x64\x9F\n");
  EXPECT_EQ(windows.texts(), Texts({"Łódź"}));
  ASSERT_EQ(windows.warnings.size(), 1u);
  EXPECT_NE(windows.warnings[0].find("Windows-1250"), std::string::npos);

  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string("1\n00:00:01,000 --> 00:00:02,000\n")) {
    utf16 += c;
    utf16 += '\0';
  }
  utf16 += std::string("\x7C\x01\xF3\x00\x42\x01\x77\x00", 8);  // żółw in UTF-16LE
  const Parsed unicode = parse(utf16);
  EXPECT_EQ(unicode.texts(), Texts({"żółw"}));
  EXPECT_TRUE(unicode.warnings.empty());
}

TEST(Subtitles, SkipsEmptyCuesAndSortsByTime) {
  const Parsed parsed = parse(
      "1\n00:00:05,000 --> 00:00:06,000\nPóźniej\n\n"
      "2\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n"
      "3\n00:00:02,000 --> 00:00:03,000\nWcześniej\n");
  EXPECT_EQ(parsed.texts(), Texts({"Wcześniej", "Później"}));
}

TEST(TextUtil, IsoDates) {
  EXPECT_EQ(iso_date("2013"), "2013");
  EXPECT_EQ(iso_date("2013-05"), "2013-05");
  EXPECT_EQ(iso_date("2013-05-14"), "2013-05-14");
  EXPECT_EQ(iso_date("2013-05-14T10:00:00Z"), "2013-05-14");
  EXPECT_EQ(iso_date("2013-05-14 10:00:00"), "2013-05-14");
  EXPECT_EQ(iso_date("20130514"), "2013-05-14");
  EXPECT_EQ(iso_date("D:20130514100000+02'00'"), "2013-05-14");
  EXPECT_EQ(iso_date("2013/05/14"), "2013-05-14");
  EXPECT_EQ(iso_date("14.05.2013"), "2013-05-14");
  EXPECT_EQ(iso_date("2013-13-01"), "2013");
  EXPECT_EQ(iso_date("maj 2013"), "");
  EXPECT_EQ(iso_date(""), "");
}

TEST(TextUtil, AssEventText) {
  EXPECT_EQ(ass_event_text("0,0,Default,,0,0,0,,Tekst, z przecinkiem"), "Tekst, z przecinkiem");
  EXPECT_EQ(ass_event_text("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Stary format"),
            "Stary format");
  EXPECT_EQ(strip_subtitle_markup("{\\i1}Linia{\\i0}\\Ndruga"), "Linia druga");
}

TEST(TextUtil, PdfDocEncodingAndWhitespace) {
  EXPECT_EQ(pdfdoc_to_utf8("Pomoc \x85 spo\x9B\x65\x63zna \x95\xF3\x64\x7A"),
            "Pomoc – społeczna Łódz");
  EXPECT_EQ(collapse_whitespace("  a \t\n b\xC2\xA0 c\xC2\xAD\xE2\x80\x8B  "), "a b c");
  EXPECT_EQ(collapse_whitespace("z\xFFła"), "zła");
}

}  // namespace
}  // namespace mediateka::media
