#!/usr/bin/python3
"""Writes N Polish PDFs for benchmarks: make_bench_pdfs.py OUT_DIR N [SEED]

Each PDF has 2-12 pages of sentences drawn at random from a pool of Polish
sentences about social policy, in every inflected form the pool has. Needs
python3-reportlab and fonts-dejavu-core. Deterministic for a given seed.
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


def sentence(rng):
    tail = rng.choice(TAILS)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}" + (
        tail if tail == "." else " " + tail)


def write_pdf(path, rng, number):
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle(f"Raport nr {number}: {rng.choice(OBJECTS)}")
    c.setAuthor("Regionalne Centrum Polityki Społecznej")
    for _ in range(rng.randint(2, 12)):
        text = c.beginText(50, 790)
        text.setFont("Sans", 10)
        for _ in range(45):
            line = " ".join(sentence(rng) for _ in range(2))
            text.textLine(line[:110])
        c.drawText(text)
        c.showPage()
    c.save()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2024)
    os.makedirs(out, exist_ok=True)
    for number in range(1, count + 1):
        write_pdf(os.path.join(out, f"raport-{number:04d}.pdf"), rng, number)


if __name__ == "__main__":
    main()
