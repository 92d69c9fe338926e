// What the indexer infers from names and folders, and how fields take precedence.
#include <gtest/gtest.h>

#include "inference.h"
#include "item_builder.h"

using namespace mediateka;
using namespace mediateka::indexer;
using media::MediaKind;

TEST(InferType, PdfIsPublicationOrBulletinUnderABiuletynFolder) {
  EXPECT_EQ(infer_type(MediaKind::pdf, {"archiwum", "raporty"}), ItemType::publication);
  EXPECT_EQ(infer_type(MediaKind::pdf, {"archiwum", "Biuletyny", "2012"}), ItemType::bulletin);
  EXPECT_EQ(infer_type(MediaKind::pdf, {"BIULETYN_3"}), ItemType::bulletin);
  EXPECT_EQ(infer_type(MediaKind::pdf, {"nasze-biuletyny"}), ItemType::publication);
}

TEST(InferType, AudioIsRadio) {
  EXPECT_EQ(infer_type(MediaKind::audio, {"telewizja"}), ItemType::radio);
}

TEST(InferType, VideoIsTvUnderATvOrTelewizjaFolderElseFilm) {
  EXPECT_EQ(infer_type(MediaKind::video, {"filmy"}), ItemType::film);
  EXPECT_EQ(infer_type(MediaKind::video, {"TVP3 Warszawa"}), ItemType::tv);
  EXPECT_EQ(infer_type(MediaKind::video, {"materiały", "Telewizja regionalna"}), ItemType::tv);
  EXPECT_EQ(infer_type(MediaKind::video, {"TELEWIZJĄ"}), ItemType::tv);
}

TEST(InferYear, TheDeepestFourDigitFolder) {
  EXPECT_EQ(year_from_folders({"archiwum", "2012", "05"}), 2012);
  EXPECT_EQ(year_from_folders({"2011", "2013"}), 2013);
  EXPECT_FALSE(year_from_folders({"archiwum", "12345", "nr2012"}));
  EXPECT_FALSE(year_from_folders({"1066"}));
}

TEST(InferYear, FromDates) {
  EXPECT_EQ(year_from_date("2013-05-14"), 2013);
  EXPECT_EQ(year_from_date("2013"), 2013);
  EXPECT_EQ(year_from_date("2013-05-14T10:00:00"), 2013);
  EXPECT_FALSE(year_from_date("20130514"));
  EXPECT_FALSE(year_from_date("May 2013"));
  EXPECT_FALSE(year_from_date(""));
}

TEST(InferTitle, PrettifiedFileName) {
  EXPECT_EQ(title_from_file_name("/a/raport_roczny-2012.pdf"), "Raport roczny 2012");
  EXPECT_EQ(title_from_file_name("łódź__reportaż.mp4"), "łódź reportaż");
  EXPECT_EQ(title_from_file_name("___.pdf"), "___.pdf");
}

TEST(ImportableKind, ByExtensionIgnoringCase) {
  EXPECT_EQ(importable_kind("a.PDF"), MediaKind::pdf);
  EXPECT_EQ(importable_kind("a.opus"), MediaKind::audio);
  EXPECT_EQ(importable_kind("a.MKV"), MediaKind::video);
  EXPECT_FALSE(importable_kind("a.srt"));
  EXPECT_FALSE(importable_kind("a.vtt"));
  EXPECT_FALSE(importable_kind("a.txt"));
  EXPECT_FALSE(importable_kind("pdf"));
}

namespace {

Vocabulary campaigns() {
  Vocabulary vocabulary;
  vocabulary.add("Aktywna integracja", {"AI"});
  vocabulary.add("Wolontariat");
  return vocabulary;
}

Source local(const std::string& relative, std::vector<std::string> folders) {
  Source source;
  source.display = relative;
  source.file = "/archiwum/" + relative;
  source.relative_path = relative;
  source.folders = std::move(folders);
  return source;
}

}  // namespace

TEST(BuildItem, ManifestThenEmbeddedThenInferred) {
  media::Extraction extraction;
  extraction.kind = MediaKind::pdf;
  extraction.mime = "application/pdf";
  extraction.title = "Tytuł z pliku";
  extraction.date = "2011-03-01";
  extraction.author = "Jan Kowalski";
  extraction.subject = "Temat";
  extraction.pages = 4;

  Source source = local("Biuletyny/2012/nr3.pdf", {"archiwum", "Biuletyny", "2012"});
  std::vector<std::string> warnings;
  Item inferred = build_item(source, extraction, FileFacts{}, campaigns(), warnings);
  EXPECT_EQ(inferred.type, ItemType::bulletin);
  EXPECT_EQ(inferred.title, "Tytuł z pliku");
  EXPECT_EQ(inferred.year, 2011);  // the file's date tag comes before the folder
  EXPECT_EQ(inferred.date, "2011-03-01");
  EXPECT_EQ(inferred.authors, std::vector<std::string>{"Jan Kowalski"});
  EXPECT_EQ(inferred.description, "Temat");
  EXPECT_EQ(inferred.language, "pl");
  EXPECT_EQ(inferred.pages, 4);
  EXPECT_EQ(inferred.source.path, "Biuletyny/2012/nr3.pdf");
  EXPECT_TRUE(warnings.empty());

  extraction.date.clear();
  extraction.title.clear();
  Item from_path = build_item(source, extraction, FileFacts{}, campaigns(), warnings);
  EXPECT_EQ(from_path.year, 2012);
  EXPECT_EQ(from_path.title, "Nr3");

  ManifestEntry entry;
  entry.type = ItemType::publication;
  entry.title = "Tytuł z manifestu";
  entry.year = 2009;
  entry.campaigns = {"ai", "Nieznana kampania"};
  entry.language = "en";
  source.entry = std::make_shared<const ManifestEntry>(entry);
  Item from_manifest = build_item(source, extraction, FileFacts{}, campaigns(), warnings);
  EXPECT_EQ(from_manifest.type, ItemType::publication);
  EXPECT_EQ(from_manifest.title, "Tytuł z manifestu");
  EXPECT_EQ(from_manifest.year, 2009);
  EXPECT_EQ(from_manifest.language, "en");
  EXPECT_EQ(from_manifest.campaigns,
            (std::vector<std::string>{"Aktywna integracja", "Nieznana kampania"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("Nieznana kampania"), std::string::npos);

  // A file's date that contradicts the manifest's year is not the item's date; one that agrees is.
  extraction.date = "2000-01-01";
  EXPECT_EQ(build_item(source, extraction, FileFacts{}, campaigns(), warnings).date, "");
  extraction.date = "2009-05-04";
  EXPECT_EQ(build_item(source, extraction, FileFacts{}, campaigns(), warnings).date, "2009-05-04");
  extraction.date.clear();
  EXPECT_TRUE(manifest_agrees(from_manifest, entry, campaigns()));
  entry.title = "Nowy tytuł";
  EXPECT_FALSE(manifest_agrees(from_manifest, entry, campaigns()));
}

TEST(BuildItem, KnownCampaignsFromTagsOnly) {
  media::Extraction extraction;
  extraction.kind = MediaKind::audio;
  extraction.keywords = "pomoc, Wolontariat; radio";
  std::vector<std::string> warnings;
  Item item = build_item(local("a.mp3", {}), extraction, FileFacts{}, campaigns(), warnings);
  EXPECT_EQ(item.type, ItemType::radio);
  EXPECT_EQ(item.campaigns, std::vector<std::string>{"Wolontariat"});
  EXPECT_TRUE(warnings.empty());
}
