#!/usr/bin/python3
"""Writes a realistic archive of N items for scale benchmarks: make_archive.py OUT_DIR N [SEED]

Each item is a PDF of 1-3 pages written like scripts/make_bench_pdfs.py writes its reports
(themed Polish sentences between runs of hunspell-pl words drawn with a Zipf distribution),
shorter, so that 100,000 of them stay within a few GB and import in minutes. OUT_DIR/manifest.csv
gives each its metadata the way a librarian's manifest would: a type (mostly publications and
bulletins, some transcripts of radio and TV broadcasts and films), 1-2 of the centre's
campaigns, a year 2008-2024 (more recent years have more), a project for half of them, a
description, and for 2 % a restricted access group. Needs python3-reportlab,
fonts-dejavu-core and hunspell-pl. Deterministic for a given seed; files already written are
kept, so an interrupted run can be resumed; PART=K/N in the environment writes only the files
numbered K modulo N (run N of them at once to use N cores; each writes the same manifest).
"""
import csv
import os
import random
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_bench_pdfs as bench  # noqa: E402  (sentences, vocabulary, the registered font)

CAMPAIGNS = ["Aktywna integracja", "Przeciwdziałanie dziedziczeniu biedy", "Ekonomia społeczna",
             "Wolontariat", "Wspieranie rodziny"]
PROJECTS = ["Razem dla Mazowsza", "Liderzy Kooperacji", "Mazowieckie Obserwatorium Polityki Społecznej",
            "Kooperacja w gminie", "Ekonomia społeczna na Mazowszu"]
TYPES = [("publication", 55), ("bulletin", 25), ("radio", 9), ("tv", 6), ("film", 5)]
TITLES = {"publication": "Poradnik", "bulletin": "Biuletyn", "radio": "Audycja", "tv": "Reportaż",
          "film": "Film"}


def write_pdf(path, rng, zipf, title):
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor("Regionalne Centrum Polityki Społecznej")
    bench.write_pages(c, rng, zipf, rng.choice([1, 1, 2, 3]), lambda: rng.randint(12, 30))
    c.save()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2026
    rng = random.Random(seed)
    zipf = bench.Zipf(bench.dictionary_words(rng))
    types, weights = zip(*TYPES)
    years = list(range(2008, 2025))
    part, parts = (int(x) for x in os.environ.get("PART", "0/1").split("/"))
    rows = []
    for number in range(1, count + 1):
        kind = rng.choices(types, weights)[0]
        year = rng.choices(years, weights=[1 + i for i in range(len(years))])[0]
        subject = rng.choice(bench.OBJECTS)
        title = f"{TITLES[kind]} {number}: {subject}"
        folder = f"{number // 1000:03d}"
        source = f"{folder}/item-{number:06d}.pdf"
        path = os.path.join(out, source)
        if number % parts == part and not os.path.exists(path):  # own generator: resumable
            os.makedirs(os.path.dirname(path), exist_ok=True)
            partial = f"{path}.{os.getpid()}.tmp"
            write_pdf(partial, random.Random(seed * 1000003 + number), zipf, title)
            os.replace(partial, path)
        rows.append({
            "source": source,
            "type": kind,
            "title": title,
            "campaign": ";".join(rng.sample(CAMPAIGNS, rng.choice([1, 1, 1, 2]))),
            "year": year,
            "project": rng.choice(PROJECTS) if rng.random() < 0.5 else "",
            "description": bench.sentence(rng),
            "access": "liderzy-kooperacji" if rng.random() < 0.02 else "",
        })
    columns = list(rows[0].keys())
    with open(os.path.join(out, "manifest.csv"), "w", newline="", encoding="utf-8") as manifest:
        writer = csv.DictWriter(manifest, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
