// Manifests as Polish Excel saves them (Windows-1250, ';'), rows that change only what they name,
// and every problem of a manifest reported with its line and column.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "item_builder.h"
#include "manifest.h"
#include "test_files.h"

using namespace mediateka;
using namespace mediateka::indexer;

namespace {

// `utf8` in Windows-1250, as Polish Excel writes it: ASCII and the Polish letters only.
std::string to_windows1250(const std::string& utf8) {
  static const std::pair<const char*, char> kLetters[] = {
      {"ą", '\xB9'}, {"ć", '\xE6'}, {"ę", '\xEA'}, {"ł", '\xB3'}, {"ń", '\xF1'}, {"ó", '\xF3'},
      {"ś", '\x9C'}, {"ź", '\x9F'}, {"ż", '\xBF'}, {"Ą", '\xA5'}, {"Ć", '\xC6'}, {"Ę", '\xCA'},
      {"Ł", '\xA3'}, {"Ń", '\xD1'}, {"Ó", '\xD3'}, {"Ś", '\x8C'}, {"Ź", '\x8F'}, {"Ż", '\xAF'}};
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      out += utf8[i++];
      continue;
    }
    bool found = false;
    for (const auto& [letter, byte] : kLetters) {
      const std::string_view text(letter);
      if (utf8.compare(i, text.size(), text) == 0) {
        out += byte;
        i += text.size();
        found = true;
        break;
      }
    }
    if (!found) throw std::invalid_argument("not a Polish letter at byte " + std::to_string(i));
  }
  return out;
}

const std::string kPolish = "Zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż";

Manifest from_bytes(const std::string& bytes, const ManifestFormat& format = {}) {
  return parse_csv_manifest(decode_manifest(bytes, format.encoding, "m.csv"), "m.csv",
                            format.separator);
}

std::string problems(const std::string& bytes, const ManifestFormat& format = {}) {
  try {
    from_bytes(bytes, format);
  } catch (const ManifestError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST(ManifestEncoding, Windows1250WithSemicolonsIsDetected) {
  const std::string utf8 =
      "source;title;campaign;authors\r\n"
      "a.pdf;" +
      kPolish +
      ";\"Aktywna integracja;Wolontariat\";Łukasz Żółw\r\n"
      "b.pdf;\"Śląsk; Łódź\";;\r\n";
  const std::string bytes = to_windows1250(utf8);
  ASSERT_NE(bytes, utf8);
  const Manifest manifest = from_bytes(bytes);
  ASSERT_EQ(manifest.entries.size(), 2u);
  EXPECT_EQ(manifest.entries[0].title, kPolish);
  EXPECT_EQ(manifest.entries[0].campaigns,
            (std::vector<std::string>{"Aktywna integracja", "Wolontariat"}));
  EXPECT_EQ(manifest.entries[0].authors, std::vector<std::string>{"Łukasz Żółw"});
  EXPECT_EQ(manifest.entries[1].title, "Śląsk; Łódź");
  EXPECT_EQ(manifest.entries[1].line, 3);
}

TEST(ManifestEncoding, Utf8WithAndWithoutByteOrderMarkIsTakenAsItIs) {
  for (const std::string& prefix : {std::string(), std::string("\xEF\xBB\xBF")}) {
    const Manifest manifest = from_bytes(prefix + "source,title\na.pdf," + kPolish + "\n");
    ASSERT_EQ(manifest.entries.size(), 1u);
    EXPECT_EQ(manifest.entries[0].title, kPolish);
    const Manifest semicolons = from_bytes(prefix + "source;title\na.pdf;" + kPolish + "\n");
    ASSERT_EQ(semicolons.entries.size(), 1u);
    EXPECT_EQ(semicolons.entries[0].title, kPolish);
  }
}

TEST(ManifestEncoding, ReadManifestDecodesTheFile) {
  test::TemporaryFolder folder;
  const auto file = folder.path() / "lista.csv";
  std::ofstream(file, std::ios::binary) << to_windows1250("source;title\na.pdf;" + kPolish + "\n");
  const Manifest manifest = read_manifest(file);
  ASSERT_EQ(manifest.entries.size(), 1u);
  EXPECT_EQ(manifest.entries[0].title, kPolish);
}

TEST(ManifestEncoding, TheLibrariansOptionsOverrideTheDetection) {
  const std::string bytes = to_windows1250("source;title\na.pdf;zażółć\n");
  // Said to be UTF-8, it is not: the byte is named with its line and column.
  const std::string not_utf8 = problems(bytes, {ManifestEncoding::utf8, 0});
  EXPECT_NE(not_utf8.find("m.csv:2:9: byte 0xBF is not UTF-8"), std::string::npos) << not_utf8;
  // Said to be separated by commas, the header is one unknown column, and the message says why.
  const std::string commas = problems("source;title\na.pdf;A\n", {ManifestEncoding::detect, ','});
  EXPECT_NE(commas.find("unknown column 'source;title'"), std::string::npos) << commas;
  EXPECT_NE(commas.find("--separator"), std::string::npos) << commas;
  // Valid UTF-8 said to be Windows-1250 is read as Windows-1250.
  const Manifest forced =
      from_bytes("source,title\na.pdf,\xC5\x82\n", {ManifestEncoding::windows1250, 0});
  EXPECT_EQ(forced.entries[0].title, "Ĺ‚");
  // A byte Windows-1250 does not have.
  const std::string neither = problems("source,title\na.pdf,\x81\x98\n");
  EXPECT_NE(neither.find("m.csv:2:7: byte 0x81 is neither UTF-8 nor Windows-1250"),
            std::string::npos)
      << neither;
  EXPECT_EQ(parse_manifest_encoding("CP1250"), ManifestEncoding::windows1250);
  EXPECT_EQ(parse_manifest_encoding("UTF-8"), ManifestEncoding::utf8);
  EXPECT_FALSE(parse_manifest_encoding("latin2"));
}

TEST(ManifestProblems, EveryBadCellIsListedWithItsLineAndColumn) {
  const std::string text = problems(
      "source;title;year;type;access\n"
      "a.pdf;A;12;film;\n"
      "b.pdf;B;2012;filmik;zła grupa\n"
      "c.pdf;C;2013;tv;\n"
      "a.pdf;D;2014;radio;\n");
  EXPECT_NE(text.find("m.csv:2: column 3 (C) 'year': '12' is not a 4-digit year"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("m.csv:3: column 4 (D) 'type': 'filmik'"), std::string::npos) << text;
  EXPECT_NE(text.find("m.csv:3: column 5 (E) 'access': 'zła grupa'"), std::string::npos) << text;
  EXPECT_NE(text.find("m.csv:5: column 1 (A) 'source': 'a.pdf' is already listed on line 2"),
            std::string::npos)
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;  // four problems, one a line
}

TEST(ManifestProblems, ReplacesNamesOneItemOnce) {
  EXPECT_NE(problems("source,replaces\na.pdf,stary\nb.pdf,stary\n")
                .find("m.csv:3: column 2 (B) 'replaces': 'stary' is already taken over on line 2"),
            std::string::npos);
  EXPECT_NE(problems("id,source,replaces\nnowy,a.pdf,stary\n").find("column 3 (C) 'replaces'"),
            std::string::npos);
  EXPECT_NE(problems("source,replaces\na.pdf,Zły Slug\n").find("'Zły Slug' is not an item's id"),
            std::string::npos);
  const Manifest ok = from_bytes("source,replaces\na.pdf,przemoc-domowa\n");
  EXPECT_EQ(ok.entries[0].replaces, "przemoc-domowa");
}

TEST(ManifestNamedFields, OnlyTheHeadersColumnsAreNamed) {
  const Manifest manifest = from_bytes(
      "source,title,description,access\n"
      "a.pdf,Tytuł,,\n"
      "b.pdf,,Opis,public\n"
      "c.pdf,C,,partnerzy-rops\n");
  const ManifestEntry& a = manifest.entries[0];
  EXPECT_TRUE(a.names(ManifestField::title));
  EXPECT_TRUE(a.names(ManifestField::description)) << "an empty cell names its field: it clears";
  EXPECT_FALSE(a.names(ManifestField::campaigns));
  EXPECT_FALSE(a.names(ManifestField::year));
  EXPECT_FALSE(a.names_access()) << "an empty access cell leaves access alone";
  EXPECT_TRUE(manifest.entries[1].names_access()) << "'public' makes the item public";
  EXPECT_TRUE(manifest.entries[1].access.empty());
  EXPECT_TRUE(manifest.entries[2].names_access());

  const Manifest jsonl = parse_jsonl_manifest(
      "{\"source\": \"a.pdf\", \"title\": \"T\", \"project\": null}\n", "m.jsonl");
  EXPECT_TRUE(jsonl.entries[0].names(ManifestField::title));
  EXPECT_TRUE(jsonl.entries[0].names(ManifestField::project)) << "null clears";
  EXPECT_FALSE(jsonl.entries[0].names(ManifestField::campaigns));
  EXPECT_FALSE(jsonl.entries[0].names_access());
}

TEST(ManifestNamedFields, ARowChangesOnlyWhatItNames) {
  Item stored;
  stored.type = ItemType::bulletin;
  stored.title = "Stary tytuł";
  stored.campaigns = {"Wolontariat"};
  stored.year = 2012;
  stored.project = "Razem";
  stored.access = {"partnerzy-rops"};
  stored.places = {{"Płock", PlaceKind::gmina, false}};

  Item built;  // as the file alone would make it
  built.type = ItemType::publication;
  built.title = "Nowy tytuł";
  built.language = "pl";

  const Manifest title_only = from_bytes("source,title\na.pdf,Nowy tytuł\n");
  Item kept = built;
  keep_unnamed_fields(kept, stored, &title_only.entries[0]);
  EXPECT_EQ(kept.title, "Nowy tytuł");
  EXPECT_EQ(kept.type, ItemType::bulletin);
  EXPECT_EQ(kept.campaigns, stored.campaigns);
  EXPECT_EQ(kept.year, 2012);
  EXPECT_EQ(kept.project, "Razem");
  EXPECT_EQ(kept.access, stored.access);
  EXPECT_EQ(kept.places.size(), 1u);
  const std::vector<FieldChange> changes = field_changes(stored, kept);
  ASSERT_EQ(changes.size(), 1u) << "the language the file says is not named either";
  EXPECT_EQ(changes[0], (FieldChange{"title", "Stary tytuł", "Nowy tytuł"}));

  // No row at all names nothing; an explicit 'public' opens the item; an empty project clears.
  Item without_row = built;
  keep_unnamed_fields(without_row, stored, nullptr);
  EXPECT_EQ(without_row.title, "Stary tytuł");
  EXPECT_EQ(without_row.access, stored.access);
  const Manifest opened = from_bytes("source,access,project\na.pdf,public,\n");
  Item public_item = built;
  keep_unnamed_fields(public_item, stored, &opened.entries[0]);
  EXPECT_TRUE(public_item.access.empty());
  EXPECT_EQ(public_item.project, "");
  const std::vector<FieldChange> opened_changes = field_changes(stored, public_item);
  EXPECT_NE(std::find(opened_changes.begin(), opened_changes.end(),
                      FieldChange{"access", "partnerzy-rops", "public"}),
            opened_changes.end());
}
