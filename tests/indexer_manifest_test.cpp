// Manifest parsing: RFC 4180 CSV and JSON Lines, with errors that say file, line and column.
#include <gtest/gtest.h>

#include <string>

#include "manifest.h"

using namespace mediateka;
using namespace mediateka::indexer;

namespace {

const char* kHeader =
    "id,source,type,title,campaign,year,date,project,series,issue,description,authors,language\n";

// The message of the ManifestError that parsing `text` throws, or "" when it parses.
std::string csv_error(const std::string& text) {
  try {
    parse_csv_manifest(text, "m.csv");
  } catch (const ManifestError& error) {
    return error.what();
  }
  return "";
}

std::string jsonl_error(const std::string& text) {
  try {
    parse_jsonl_manifest(text, "m.jsonl");
  } catch (const ManifestError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST(ManifestCsv, ReadsEveryColumn) {
  Manifest manifest = parse_csv_manifest(
      std::string(kHeader) +
          "a1,pdf/raport.pdf,bulletin,Raport,Aktywna integracja; Wolontariat ,2013,2013-05-14,"
          "Razem,Seria,3/2012,Opis,Jan Kowalski;Anna Nowak,pl\n",
      "m.csv");
  ASSERT_EQ(manifest.entries.size(), 1u);
  const ManifestEntry& entry = manifest.entries[0];
  EXPECT_EQ(entry.line, 2);
  EXPECT_EQ(entry.id, "a1");
  EXPECT_EQ(entry.source, "pdf/raport.pdf");
  EXPECT_EQ(entry.type, ItemType::bulletin);
  EXPECT_EQ(entry.title, "Raport");
  EXPECT_EQ(entry.campaigns, (std::vector<std::string>{"Aktywna integracja", "Wolontariat"}));
  EXPECT_EQ(entry.year, 2013);
  EXPECT_EQ(entry.date, "2013-05-14");
  EXPECT_EQ(entry.project, "Razem");
  EXPECT_EQ(entry.series, "Seria");
  EXPECT_EQ(entry.issue, "3/2012");
  EXPECT_EQ(entry.description, "Opis");
  EXPECT_EQ(entry.authors, (std::vector<std::string>{"Jan Kowalski", "Anna Nowak"}));
  EXPECT_EQ(entry.language, "pl");
}

TEST(ManifestCsv, OnlySourceIsRequiredAndColumnsMayComeInAnyOrder) {
  Manifest manifest = parse_csv_manifest("title,source\nRaport,a.pdf\n,b.pdf\n", "m.csv");
  ASSERT_EQ(manifest.entries.size(), 2u);
  EXPECT_EQ(manifest.entries[0].title, "Raport");
  EXPECT_EQ(manifest.entries[1].source, "b.pdf");
  EXPECT_TRUE(manifest.entries[1].title.empty());
  EXPECT_FALSE(manifest.entries[1].type);
}

TEST(ManifestCsv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  Manifest manifest = parse_csv_manifest(
      "source,title,description\n"
      "a.pdf,\"Raport, część 1\",\"Mówi \"\"dość\"\"\"\n"
      "b.pdf,B,\"pierwsza linia\ndruga linia\"\n"
      "c.pdf,C,\n",
      "m.csv");
  ASSERT_EQ(manifest.entries.size(), 3u);
  EXPECT_EQ(manifest.entries[0].title, "Raport, część 1");
  EXPECT_EQ(manifest.entries[0].description, "Mówi \"dość\"");
  EXPECT_EQ(manifest.entries[1].description, "pierwsza linia\ndruga linia");
  EXPECT_EQ(manifest.entries[2].line, 5);  // the record after the two-line field
}

TEST(ManifestCsv, AcceptsByteOrderMarkAndCrlf) {
  Manifest manifest = parse_csv_manifest(
      "\xEF\xBB\xBFsource,title\r\na.pdf,\"Dwie\r\nlinie\"\r\nb.pdf,B\r\n\r\n", "m.csv");
  ASSERT_EQ(manifest.entries.size(), 2u);
  EXPECT_EQ(manifest.entries[0].source, "a.pdf");
  EXPECT_EQ(manifest.entries[0].title, "Dwie\nlinie");
  EXPECT_EQ(manifest.entries[1].title, "B");
  EXPECT_EQ(manifest.entries[1].line, 4);
}

TEST(ManifestCsv, MissingFieldNamesLineAndColumn) {
  std::string error = csv_error("source,title,year\na.pdf,A,2012\nb.pdf,B\n");
  EXPECT_NE(error.find("m.csv:3:"), std::string::npos) << error;
  EXPECT_NE(error.find("'year'"), std::string::npos) << error;
}

TEST(ManifestCsv, ExtraFieldNamesLineAndColumn) {
  std::string error = csv_error("source,title\na.pdf,A\n\"b.pdf\",\"B\nB\"\nc.pdf,C,2012\n");
  EXPECT_NE(error.find("m.csv:5:"), std::string::npos) << error;
  EXPECT_NE(error.find("column 3"), std::string::npos) << error;
}

TEST(ManifestCsv, UnknownColumnIsNamed) {
  std::string error = csv_error("source,titel\na.pdf,A\n");
  EXPECT_NE(error.find("m.csv:1:"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown column 'titel'"), std::string::npos) << error;
}

TEST(ManifestCsv, HeaderWithoutSourceIsAnError) {
  EXPECT_NE(csv_error("title,year\nA,2012\n").find("'source'"), std::string::npos);
  EXPECT_NE(csv_error("").find("header"), std::string::npos);
}

TEST(ManifestCsv, BadTypeAndYearNameLineAndColumn) {
  std::string type_error = csv_error("source,type\na.pdf,film\nb.pdf,filmik\n");
  EXPECT_NE(type_error.find("m.csv:3: column 2 (B) 'type': 'filmik'"), std::string::npos)
      << type_error;
  std::string year_error = csv_error("source,year\na.pdf,13\n");
  EXPECT_NE(year_error.find("m.csv:2: column 2 (B) 'year': '13' is not a 4-digit year"),
            std::string::npos)
      << year_error;
  std::string date_error = csv_error("source,date\na.pdf,2013-13-01\n");
  EXPECT_NE(date_error.find("m.csv:2: column 2 (B) 'date'"), std::string::npos) << date_error;
}

TEST(ManifestCsv, UnterminatedQuoteNamesTheLineWhereTheFieldStarts) {
  std::string error = csv_error("source,title\na.pdf,A\nb.pdf,\"B\nC\nD\n");
  EXPECT_NE(error.find("m.csv:3:"), std::string::npos) << error;
  EXPECT_NE(error.find("unterminated"), std::string::npos) << error;
}

TEST(ManifestCsv, RepeatedSourceAndIdAreErrors) {
  EXPECT_NE(csv_error("source\na.pdf\nb.pdf\na.pdf\n").find("m.csv:4:"), std::string::npos);
  EXPECT_NE(csv_error("id,source\nx,a.pdf\nx,b.pdf\n").find("m.csv:3: column 1 (A) 'id'"),
            std::string::npos);
  EXPECT_NE(csv_error("source\n\"\"\n").find("m.csv:2: column 1 (A) 'source'"), std::string::npos);
}

TEST(ManifestJsonl, ReadsStringsArraysAndNumbers) {
  Manifest manifest = parse_jsonl_manifest(
      "{\"source\": \"a.pdf\", \"campaign\": [\"Aktywna integracja\", \"Wolontariat\"], "
      "\"year\": 2013, \"authors\": \"Jan Kowalski; Anna Nowak\"}\n"
      "\n"
      "{\"source\": \"https://example.org/b.mp3\", \"type\": \"radio\", \"year\": \"2011\", "
      "\"title\": null}\n",
      "m.jsonl");
  ASSERT_EQ(manifest.entries.size(), 2u);
  EXPECT_EQ(manifest.entries[0].campaigns,
            (std::vector<std::string>{"Aktywna integracja", "Wolontariat"}));
  EXPECT_EQ(manifest.entries[0].year, 2013);
  EXPECT_EQ(manifest.entries[0].authors, (std::vector<std::string>{"Jan Kowalski", "Anna Nowak"}));
  EXPECT_EQ(manifest.entries[1].line, 3);
  EXPECT_EQ(manifest.entries[1].type, ItemType::radio);
  EXPECT_EQ(manifest.entries[1].year, 2011);
}

TEST(ManifestJsonl, MalformedLineNamesLineAndColumn) {
  std::string error = jsonl_error("{\"source\": \"a.pdf\"}\n{\"source\": \"b.pdf\",, }\n");
  EXPECT_NE(error.find("m.jsonl:2:20:"), std::string::npos) << error;
}

TEST(ManifestJsonl, BadValuesAndUnknownKeysAreNamed) {
  EXPECT_NE(jsonl_error("{\"source\": \"a.pdf\", \"year\": 13}\n").find("m.jsonl:1: key 'year'"),
            std::string::npos);
  EXPECT_NE(jsonl_error("{\"source\": \"a.pdf\", \"type\": \"book\"}\n").find("key 'type'"),
            std::string::npos);
  EXPECT_NE(jsonl_error("{\"source\": \"a.pdf\", \"colour\": 1}\n").find("unknown key 'colour'"),
            std::string::npos);
  EXPECT_NE(jsonl_error("[\"a.pdf\"]\n").find("m.jsonl:1:"), std::string::npos);
  EXPECT_NE(jsonl_error("{\"title\": \"A\"}\n").find("key 'source'"), std::string::npos);
}

TEST(ManifestAccess, GroupsFromCsvAndJsonLines) {
  const Manifest csv = parse_csv_manifest(
      "source,access\n"
      "a.pdf,liderzy-kooperacji; ROPS-Olsztyn\n"
      "b.pdf,public\n"
      "c.pdf,\n",
      "m.csv");
  ASSERT_EQ(csv.entries.size(), 3u);
  EXPECT_EQ(csv.entries[0].access,
            (std::vector<std::string>{"liderzy-kooperacji", "rops-olsztyn"}));
  EXPECT_TRUE(csv.entries[1].access.empty());
  EXPECT_TRUE(csv.entries[2].access.empty());

  const Manifest jsonl = parse_jsonl_manifest(
      "{\"source\": \"a.pdf\", \"access\": [\"liderzy-kooperacji\", \"gmina-wyszkow\"]}\n"
      "{\"source\": \"b.pdf\", \"access\": \"liderzy-kooperacji\"}\n"
      "{\"source\": \"c.pdf\", \"access\": null}\n",
      "m.jsonl");
  EXPECT_EQ(jsonl.entries[0].access,
            (std::vector<std::string>{"liderzy-kooperacji", "gmina-wyszkow"}));
  EXPECT_EQ(jsonl.entries[1].access, std::vector<std::string>{"liderzy-kooperacji"});
  EXPECT_TRUE(jsonl.entries[2].access.empty());
}

TEST(ManifestAccess, BadGroupNamesTheLineAndColumn) {
  EXPECT_EQ(
      csv_error("source,access\na.pdf,ok\nb.pdf,zła grupa\n"),
      "m.csv:3: column 2 (B) 'access': 'zła grupa' is not a group name (1-64 characters of a-z, "
      "0-9, - and _)");
  EXPECT_EQ(csv_error("source,access\na.pdf,public;liderzy\n"),
            "m.csv:2: column 2 (B) 'access': 'public' cannot be combined with groups");
  EXPECT_NE(jsonl_error("{\"source\": \"a.pdf\", \"access\": [\"a b\"]}\n"), "");
}
