#!/usr/bin/env python3
"""Writes archive/places/places.tsv, the gazetteer, from GUS's TERC register.

Input: the official TERC CSV ("TERC_Urzedowy_YYYY-MM-DD.csv" from eteryt.stat.gov.pl,
UTF-8, ';'-separated, columns WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA).
Kept: every województwo and powiat (land and city), and the gminas (RODZ 1, 2 and 3) of the
województwa named with --gminas (TERC codes, default 14 = mazowieckie, 28 =
warmińsko-mazurskie) outside the cities with powiat rights (a city's gmina is the city itself).
Usage: scripts/places_from_terc.py TERC.csv > archive/places/places.tsv
"""
import argparse
import csv
import sys

KINDS = {"1": "gmina-miejska", "2": "gmina-wiejska", "3": "gmina-miejsko-wiejska"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("terc")
    parser.add_argument("--gminas", default="14,28")
    args = parser.parse_args()
    with_gminas = set(args.gminas.split(","))
    rows, state = [], set()
    with open(args.terc, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            woj, pow_, gmi = row["WOJ"].zfill(2), row["POW"], row["GMI"]
            name, extra = row["NAZWA"].strip(), row["NAZWA_DOD"]
            state.add(row["STAN_NA"])
            if not pow_:
                rows.append((woj, "wojewodztwo", name.lower()))
            elif not gmi:
                city = "na prawach powiatu" in extra
                rows.append((woj + pow_.zfill(2), "miasto" if city else "powiat", name))
            elif woj in with_gminas and row["RODZ"] in KINDS and int(pow_) < 61:
                code = woj + pow_.zfill(2) + gmi.zfill(2) + row["RODZ"]
                rows.append((code, KINDS[row["RODZ"]], name))
    out = sys.stdout
    out.write("# The gazetteer: Poland's województwa, powiats (land and city) and the gminas of\n")
    out.write("# mazowieckie and warmińsko-mazurskie. Source: GUS, TERYT register TERC, state on\n")
    out.write("# %s (the official list of territorial units), written by\n" % ", ".join(sorted(state)))
    out.write("# scripts/places_from_terc.py. Columns: TERC code (WW, WWPP or WWPPGGR), kind, name as\n")
    out.write("# TERC writes it. Kinds: wojewodztwo, powiat, miasto (a city with powiat rights),\n")
    out.write("# gmina-miejska, gmina-wiejska, gmina-miejsko-wiejska. See docs/places.md.\n")
    for code, kind, name in sorted(rows):
        out.write("%s\t%s\t%s\n" % (code, kind, name))


if __name__ == "__main__":
    main()
