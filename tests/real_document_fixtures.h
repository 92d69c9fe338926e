// Real-world document fixtures, made at test time: a two-column bulletin with running lines,
// hyphenation, ligatures and a mis-decoded line, and a scanned page (a PDF holding only a
// picture, and the PNG it was made of). reportlab writes the PDFs; pdftoppm renders the scan.
#pragma once

#include <filesystem>
#include <string>

#include "media_test_support.h"

namespace mediateka::test {

inline bool real_document_tools_available() {
  return !python_with_reportlab().empty() &&
         std::filesystem::exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") &&
         tool_available("pdftoppm");
}

inline const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Three pages of a two-column bulletin: a running header and a page number on each page, words
// hyphenated at the ends of lines, ligature glyphs mapped to U+FB01/U+FB04 (as Word and InDesign
// PDFs have them), and on page 2 a line whose Windows-1250 bytes were decoded as Windows-1252.
inline std::string bulletin_script(const std::filesystem::path& output) {
  return R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
         std::string(kDejaVu) + R"('))
c = canvas.Canvas(')" +
         output.string() + R"(', invariant=1)
left = ['Pomoc dla osób bezrobotnych', 'obejmuje szkolenia oraz upraw-',
        'nienia do zasiłku, a także', 'współpracę polsko-',
        'niemiecką partnerów. Bene\ufb01cjentki', 'pracują o\ufb04ine i w domu.']
right = ['Druga kolumna mówi o', 'ekonomii społecznej w powiecie',
         'wyszkowskim i spółdzielniach', 'socjalnych działających',
         'od wielu lat w regionie.', 'Koniec drugiej kolumny.']
for page in range(1, 4):
    left[0] = 'Pomoc dla osób bezrobotnych ' + ['pierwsza', 'druga', 'trzecia'][page - 1]
    c.setFont('DejaVu', 9)
    c.drawString(72, 800, 'Biuletyn RCPS nr 3/2014')
    c.drawString(300, 30, str(page))
    c.setFont('DejaVu', 11)
    y = 700
    for l, r in zip(left, right):
        c.drawString(72, y, l)
        c.drawString(320, y, r)
        y -= 14
    if page == 2:
        c.drawString(72, 500, 'pomoc spo\u00b3eczna i \u00bfycie w \u0153rodowisku lokalnym')
    c.showPage()
c.save()
)";
}

// A one-page PDF of large, clear text that is then only a picture: rendered by pdftoppm and
// put back into a PDF as an image, the way a scanner's PDF holds a page.
inline std::string scan_script(const std::filesystem::path& text_pdf) {
  return R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
         std::string(kDejaVu) + R"('))
c = canvas.Canvas(')" +
         text_pdf.string() + R"(', invariant=1)
c.setFont('DejaVu', 20)
c.drawString(72, 720, 'Sprawozdanie z działalności')
c.drawString(72, 690, 'ośrodka pomocy społecznej')
c.drawString(72, 660, 'w Ostrołęce za rok 2008.')
c.showPage()
c.save()
)";
}

inline std::string image_pdf_script(const std::filesystem::path& png,
                                    const std::filesystem::path& output) {
  return R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
         std::string(kDejaVu) + R"('))
c = canvas.Canvas(')" +
         output.string() + R"(', pagesize=A4, invariant=1)
c.setFont('DejaVu', 12)
c.drawString(72, 720, 'Spis treści: sprawy bieżące, plan pracy na kolejny rok.')
c.showPage()
c.drawImage(')" +
         png.string() + R"(', 0, 0, width=A4[0], height=A4[1])
c.showPage()
c.save()
)";
}

// A two-page PDF whose first page has a text layer and whose second is a scan (`pdf`), and the
// 200 dpi PNG the scan was made of (`png`), in `folder`.
inline bool make_scanned_pdf(const std::filesystem::path& folder, std::filesystem::path& pdf,
                             std::filesystem::path& png) {
  const std::filesystem::path text_pdf = folder / "text.pdf";
  png = folder / "page.png";
  pdf = folder / "skan.pdf";
  return run_python(folder, scan_script(text_pdf)) &&
         run("pdftoppm -r 200 -gray -png -singlefile " + quoted(text_pdf) + " " +
             quoted(folder / "page")) &&
         run_python(folder, image_pdf_script(png, pdf));
}

}  // namespace mediateka::test
