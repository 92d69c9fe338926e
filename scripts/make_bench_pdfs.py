#!/usr/bin/python3
"""Writes N Polish PDFs for benchmarks: make_bench_pdfs.py OUT_DIR N [SEED]

Each PDF has 2-12 pages of sentences drawn at random from a pool of Polish
sentences about social policy, each followed by a run of words drawn from the
Polish dictionary (hunspell-pl) with a Zipf distribution, so that the corpus
has the vocabulary of real publications (tens of thousands of distinct words)
rather than only the pool's few hundred. Needs python3-reportlab,
fonts-dejavu-core and hunspell-pl. Deterministic for a given seed.
"""
import os
import random
import sys

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

rl_config.invariant = 1
pdfmetrics.registerFont(TTFont("Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))

SUBJECTS = ["Ośrodek pomocy społecznej", "Powiatowe centrum pomocy rodzinie", "Spółdzielnia socjalna",
            "Wolontariusz", "Stowarzyszenie rodzin", "Klub integracji społecznej",
            "Gmina na Mazowszu", "Zespół interdyscyplinarny", "Asystent rodziny",
            "Centrum integracji społecznej", "Fundacja na rzecz osób niepełnosprawnych"]
VERBS = ["wspiera", "organizuje", "finansuje", "prowadzi", "koordynuje", "realizuje",
         "promuje", "diagnozuje", "aktywizuje", "wzmacnia"]
OBJECTS = ["rodziny w kryzysie", "osoby długotrwale bezrobotne", "seniorów", "młodzież z domów dziecka",
           "osoby niepełnosprawne", "szkolenia dla wolontariuszy", "projekty ekonomii społecznej",
           "pomoc żywnościową", "poradnictwo specjalistyczne", "mieszkania chronione",
           "usługi opiekuńcze", "programy aktywnej integracji", "lokalne partnerstwa",
           "działania przeciw wykluczeniu społecznemu", "źródła finansowania",
           "dziedziczeniu biedy", "kooperację instytucji", "kampanię informacyjną"]
TAILS = ["w ramach projektu Razem dla Mazowsza.", "ze środków Europejskiego Funduszu Społecznego.",
         "we współpracy z samorządem województwa.", "zgodnie z ustawą o pomocy społecznej.",
         "w latach 2007–2013.", "od 2014 roku.", "na terenie powiatu.",
         "w ramach programu Liderzy Kooperacji.", "z udziałem partnerów społecznych.", "."]


DICTIONARY = "/usr/share/hunspell/pl_PL.dic"
VOCABULARY_SIZE = 60000


def dictionary_words(rng):
    """VOCABULARY_SIZE dictionary words in a random order: rank 1 is the commonest."""
    with open(DICTIONARY, encoding="iso-8859-2") as dic:
        next(dic)  # the word count
        words = [line.split("/")[0].strip() for line in dic]
    words = [w for w in words if w.isalpha() and len(w) > 1]
    rng.shuffle(words)
    return words[:VOCABULARY_SIZE]


class Zipf:
    """Draws words with probability proportional to 1 / rank."""

    def __init__(self, words):
        self.words = words
        self.cumulative = []
        total = 0.0
        for rank in range(1, len(words) + 1):
            total += 1.0 / rank
            self.cumulative.append(total)

    def draw(self, rng, count):
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def sentence(rng):
    tail = rng.choice(TAILS)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}" + (
        tail if tail == "." else " " + tail)


def line(rng, zipf, number):
    """Every other line a themed sentence, the others dictionary words, ~100 characters."""
    if number % 2 == 0:
        return sentence(rng)[:110]
    text = ""
    while len(text) < 95:
        text += zipf.draw(rng, 1)[0] + " "
    return text.strip().capitalize() + "."


def write_pdf(path, rng, zipf, number):
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle(f"Raport nr {number}: {rng.choice(OBJECTS)}")
    c.setAuthor("Regionalne Centrum Polityki Społecznej")
    write_pages(c, rng, zipf, rng.randint(2, 12), lambda: 45)
    c.save()


def write_pages(c, rng, zipf, pages, lines_per_page):
    """`pages` pages of `lines_per_page()` lines each (see line()) on canvas `c`."""
    for _ in range(pages):
        text = c.beginText(50, 790)
        text.setFont("Sans", 10)
        for number in range(lines_per_page()):
            text.textLine(line(rng, zipf, number))
        c.drawText(text)
        c.showPage()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2024)
    zipf = Zipf(dictionary_words(rng))
    os.makedirs(out, exist_ok=True)
    for number in range(1, count + 1):
        write_pdf(os.path.join(out, f"raport-{number:04d}.pdf"), rng, zipf, number)


if __name__ == "__main__":
    main()
