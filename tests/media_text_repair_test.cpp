// Repairs of extracted text: mis-decoded Polish, ligatures, odd spaces, hyphenated line ends.
#include <gtest/gtest.h>

#include "archive/text/polish_dictionary.h"
#include "text_repair.h"

namespace mediateka::media {
namespace {

const PolishDictionary& dictionary() {
  const PolishDictionary* loaded = repair_dictionary();
  if (!loaded) throw std::runtime_error("hunspell-pl is not installed");
  return *loaded;
}

std::string re_decoded(std::string text) {
  repair_encoding(text, dictionary());
  return text;
}

TEST(RepairEncoding, Windows1250ReadAsLatin1OrWindows1252) {
  // "pomoc społeczna", "życie", "środowisko" as a Windows-1252 reader shows their bytes.
  EXPECT_EQ(re_decoded("pomoc spo\u00b3eczna"), "pomoc społeczna");
  EXPECT_EQ(re_decoded("\u00bfycie w \u0153rodowisku"), "życie w środowisku");
  // The same bytes through a Latin-1 reader: 0x9C is a C1 control there.
  EXPECT_EQ(re_decoded("\u00bfycie w \u009crodowisku"), "życie w środowisku");
  EXPECT_EQ(re_decoded("\u00afycie i pracuj\u00b9 w \u00a3odzi"), "Życie i pracują w Łodzi");
}

TEST(RepairEncoding, Iso8859_2AndUtf8ReadWrongly) {
  // ISO-8859-2 read as Latin-1: ą is 0xB1 (±), ś 0xB6 (¶).
  EXPECT_EQ(re_decoded("pomoc spo\u00b3eczna w \u00b6rodowisku, pracuj\u00b1"),
            "pomoc społeczna w środowisku, pracują");
  // UTF-8 read as Windows-1252 and as Windows-1250.
  EXPECT_EQ(re_decoded("pomoc spo\u00c5\u201aeczna"), "pomoc społeczna");
  EXPECT_EQ(re_decoded("pomoc spo\u0139\u201aeczna"), "pomoc społeczna");
}

TEST(RepairEncoding, CorrectTextIsLeftAlone) {
  for (const std::string text :
       {"pomoc społeczna w Łodzi", "Señor Müller, José Ñandú i Zoë", "temperatura 20° i § 5",
        "Ósma edycja, „cudzysłów” – myślnik…", "Œuvre complète", "plain ASCII text"}) {
    std::string repaired = text;
    EXPECT_FALSE(repair_encoding(repaired, dictionary())) << text;
    EXPECT_EQ(repaired, text);
  }
}

TEST(NormalizeText, LigaturesPresentationFormsAndSpaces) {
  EXPECT_EQ(normalize_text("Bene\ufb01cjentki pracuj\u0105 o\ufb04ine, \ufb00 \ufb02 \ufb03"),
            "Beneficjentki pracują offline, ff fl ffi");
  EXPECT_EQ(normalize_text("\uff30\uff4f\uff4d\uff4f\uff43\u00a0spo\u0142eczna"),
            "Pomoc społeczna");
  EXPECT_EQ(normalize_text("line one\nline two"), "line one\nline two");
  // Polish letters stay composed.
  EXPECT_EQ(normalize_text("zażółć gęślą jaźń"), "zażółć gęślą jaźń");
}

TEST(JoinHyphenatedLines, JoinsWordsAndKeepsCompounds) {
  const PolishDictionary* words = &dictionary();
  EXPECT_EQ(join_hyphenated_lines("szkolenia oraz upraw-\nnienia do zasiłku", words),
            "szkolenia oraz uprawnienia do zasiłku");
  EXPECT_EQ(join_hyphenated_lines("współpraca polsko-\nniemiecka trwa", words),
            "współpraca polsko-niemiecka trwa");
  EXPECT_EQ(join_hyphenated_lines("w Bielsku-\nBiałej", words), "w Bielsku-Białej");
  // A soft hyphen always joins; spaces around the break do not matter.
  EXPECT_EQ(join_hyphenated_lines("spół\u00ad  \n  dzielnie", words), "spółdzielnie");
  EXPECT_EQ(join_hyphenated_lines("spół\u00ad\ndzielnie socjalne", words), "spółdzielnie socjalne");
  // Not a hyphenation: a dash between words, numbers, the end of the text.
  EXPECT_EQ(join_hyphenated_lines("pomoc -\nrodzina", words), "pomoc -\nrodzina");
  EXPECT_EQ(join_hyphenated_lines("lata 2010-\n2013", words), "lata 2010-\n2013");
  EXPECT_EQ(join_hyphenated_lines("koniec-\n", words), "koniec-\n");
  EXPECT_EQ(join_hyphenated_lines("", words), "");
}

TEST(JoinHyphenatedLines, WithoutDictionaryEveryWordIsJoined) {
  EXPECT_EQ(join_hyphenated_lines("upraw-\nnienia", nullptr), "uprawnienia");
  EXPECT_EQ(join_hyphenated_lines("Bielsko-\nBiała", nullptr), "Bielsko-Biała");
}

TEST(RepairText, AllStepsInOrder) {
  const RepairedText repaired =
      repair_text("Bene\ufb01cjentki  i upraw-\nnienia;\npomoc spo\u00b3eczna\n\n");
  EXPECT_EQ(repaired.text, "Beneficjentki i uprawnienia; pomoc społeczna");
  EXPECT_TRUE(repaired.re_decoded);
  EXPECT_FALSE(repair_text("zwykły tekst").re_decoded);
}

}  // namespace
}  // namespace mediateka::media
