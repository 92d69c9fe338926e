#!/usr/bin/env bash
# Rebuilds the bundled sample collection in samples/ from scratch: Polish PDF
# publications and bulletins (python3-reportlab + DejaVu fonts), radio broadcasts
# (espeak-ng speech, MP3 and Ogg Vorbis), a TV broadcast (MP4: H.264 + AAC,
# chapters, mov_text subtitles), a film (MKV: H.264 + Vorbis, chapters, subrip
# subtitles) and a short spot (MP4 with a sidecar .srt), then manifest.csv and
# README.md with the facts tests may rely on.
#
# The output is committed; this script makes it reproducible. With the same
# Debian 12 packages it is byte-for-byte identical on every run (reportlab
# invariant mode, fixed dates, bitexact muxing, fixed Ogg serials).
#
# Usage: scripts/make-samples.sh            (no arguments; SAMPLES_DIR to write elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${SAMPLES_DIR:-$root/samples}
py=/usr/bin/python3   # Debian's python, which has python3-reportlab (not a pyenv/venv one)

die() { echo "make-samples: $*" >&2; exit 2; }

# --- tools -------------------------------------------------------------------
for tool in espeak-ng ffmpeg ffprobe pdfinfo pdftotext "$py"; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "missing $tool (apt-get install espeak-ng ffmpeg poppler-utils python3 python3-reportlab fonts-dejavu-core)"
done
"$py" -c 'import reportlab' 2>/dev/null || die "missing python3-reportlab (apt-get install python3-reportlab)"
for font in DejaVuSerif.ttf DejaVuSans.ttf DejaVuSans-Bold.ttf; do
  [ -f "/usr/share/fonts/truetype/dejavu/$font" ] || die "missing $font (apt-get install fonts-dejavu-core)"
done
encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null)
for encoder in libx264 aac libmp3lame libvorbis libopus mov_text srt; do
  grep -qE "^ [A-Z.]{6} $encoder " <<<"$encoders" || die "ffmpeg lacks the $encoder encoder"
done
espeak-ng --voices=pl 2>/dev/null | grep -q ' pl ' || die "espeak-ng has no Polish voice (apt-get install espeak-ng-data)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
mkdir -p "$out"/{publikacje,biuletyn,radio,telewizja,filmy}

# --- PDFs --------------------------------------------------------------------
"$py" "$root/scripts/make_sample_pdfs.py" "$out" "$work/pdf-facts.json"

# --- speech ------------------------------------------------------------------
# speak NAME -- SENTENCE...   (chapter marks: a sentence "#Title" starts a chapter)
# Writes $work/NAME.wav (22050 Hz mono), NAME.srt (one cue per sentence, times
# taken from the WAV lengths), NAME.json (cues, chapters, duration) and, if the
# sentences carry chapter marks, NAME.ffmeta (FFMETADATA chapters).
# Every cue starts on a 20 ms boundary (441 samples), after LEAD seconds of
# silence before the first sentence and GAP seconds between sentences.
speak() {
  local name=$1 i=0 sentence
  shift
  : >"$work/$name.list"
  for sentence in "$@"; do
    if [[ $sentence == "#"* ]]; then
      printf 'chapter\t%s\n' "${sentence#\#}" >>"$work/$name.list"
      continue
    fi
    i=$((i + 1))
    espeak-ng -v pl -s 140 -p 45 -w "$work/$name-$i.wav" "$sentence"
    printf 'cue\t%s\t%s\n' "$work/$name-$i.wav" "$sentence" >>"$work/$name.list"
  done
  "$py" - "$work/$name" <<'PY'
import json, sys, wave
base = sys.argv[1]
RATE, GRID, LEAD, GAP, TAIL = 22050, 441, 1.0, 0.6, 1.2
def ts(t, sep=","):
    ms = round(t * 1000)
    return "%02d:%02d:%02d%s%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, sep, ms % 1000)
pcm, cues, chapters, pending = bytearray(), [], [], None
for line in open(base + ".list", encoding="utf-8"):
    kind, *rest = line.rstrip("\n").split("\t")
    if kind == "chapter":
        pending = rest[0]
        continue
    path, text = rest
    with wave.open(path) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2), path
        frames = w.readframes(w.getnframes())
    pause = round((LEAD if not cues else GAP) * RATE)
    start = -(-(len(pcm) // 2 + pause) // GRID) * GRID          # next 20 ms boundary
    pcm += b"\0" * (2 * start - len(pcm))
    pcm += frames
    cue = {"n": len(cues) + 1, "start": round(start / RATE, 3),
           "end": round((start + len(frames) // 2) / RATE, 3), "text": text}
    cues.append(cue)
    if pending is not None:
        chapters.append({"title": pending, "start": 0.0 if not chapters else cue["start"]})
        pending = None
pcm += b"\0" * (2 * round(TAIL * RATE))
duration = round(len(pcm) / 2 / RATE, 3)
with wave.open(base + ".wav", "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(RATE); w.writeframes(bytes(pcm))
with open(base + ".srt", "w", encoding="utf-8") as f:
    for c in cues:
        f.write("%d\n%s --> %s\n%s\n\n" % (c["n"], ts(c["start"]), ts(c["end"]), c["text"]))
if chapters:
    with open(base + ".ffmeta", "w", encoding="utf-8") as f:
        f.write(";FFMETADATA1\n")
        for k, ch in enumerate(chapters):
            end = chapters[k + 1]["start"] if k + 1 < len(chapters) else duration
            f.write("[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n"
                    % (round(ch["start"] * 1000), round(end * 1000), ch["title"]))
json.dump({"duration": duration, "cues": cues, "chapters": chapters},
          open(base + ".json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
}

# video_graph NAME COLOUR... : a 320x180, 10 fps picture, one plain colour per
# chapter (or one colour for the whole clip), with a lighter frame and a bar.
video_graph() {
  local name=$1
  shift
  "$py" - "$work/$name.json" "$@" <<'PY'
import json, sys
info = json.load(open(sys.argv[1], encoding="utf-8"))
colours = sys.argv[2:]
starts = [c["start"] for c in info["chapters"]] or [0.0]
ends = starts[1:] + [info["duration"] + 0.5]
parts = []
for k, (a, b) in enumerate(zip(starts, ends)):
    parts.append("color=c=%s:s=320x180:r=10:d=%.3f,"
                 "drawbox=x=16:y=16:w=288:h=148:color=white@0.35:t=3,"
                 "drawbox=x=16:y=136:w=%d:h=28:color=white@0.6:t=fill[v%d]"
                 % (colours[k % len(colours)], b - a, 60 + 40 * k, k))
inputs = "".join("[v%d]" % k for k in range(len(parts)))
print(";".join(parts) + ";%sconcat=n=%d:v=1:a=0,format=yuv420p[v]" % (inputs, len(parts)))
PY
}

duration_of() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["duration"])' "$work/$1.json"; }

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
x264=(-c:v libx264 -preset slow -tune stillimage -crf 30 -g 20 -threads 1 -flags:v +bitexact)
bitexact=(-fflags +bitexact -flags:a +bitexact)

# Radio 1: MP3, 2012, campaign Wolontariat.
speak radio1 \
  "Dzień dobry, zapraszamy na kolejną audycję z cyklu Rozmowy o pomocy społecznej." \
  "Piątego grudnia obchodzimy Międzynarodowy Dzień Wolontariusza." \
  "Na Mazowszu wolontariusze pomagają w ośrodkach pomocy społecznej, świetlicach i hospicjach." \
  "Wolontariat to nie tylko pomoc innym, ale także szansa na zdobycie nowych umiejętności." \
  "Koordynatorzy podkreślają, że wolontariuszy trzeba dobrze przygotować i docenić ich pracę." \
  "Jeśli chcesz zostać wolontariuszem, zgłoś się do najbliższego ośrodka pomocy społecznej." \
  "Dziękujemy za uwagę i do usłyszenia za tydzień."
ff -i "$work/radio1.wav" -map_metadata -1 -c:a libmp3lame -b:a 32k -ac 1 -ar 22050 \
  -id3v2_version 4 -write_id3v1 0 \
  -metadata title="Wolontariusze w pomocy społecznej" \
  -metadata artist="Radio Mazowsze Społeczne" \
  -metadata album="Rozmowy o pomocy społecznej" \
  -metadata date="2012-12-05" -metadata genre="Speech" -metadata language="pol" \
  -metadata comment="Audycja na Międzynarodowy Dzień Wolontariusza: jak wolontariusze wspierają ośrodki pomocy społecznej na Mazowszu." \
  -metadata publisher="Regionalne Centrum Polityki Społecznej" \
  "${bitexact[@]}" "$out/radio/rozmowy-wolontariusze-w-pomocy-spolecznej-2012.mp3"

# Radio 2: Ogg Vorbis, 2009, campaign Przeciwdziałanie dziedziczeniu biedy.
# (ffmpeg treats the Vorbis comments "comment" and "description" as one key,
# DESCRIPTION, so there is only a description.)
speak radio2 \
  "Siedemnastego października przypada Międzynarodowy Dzień Walki z Ubóstwem." \
  "W naszym województwie wiele dzieci dorasta w rodzinach, które od pokoleń żyją w biedzie." \
  "Świetlice środowiskowe dają im miejsce do nauki, ciepły posiłek i wsparcie wychowawców." \
  "Eksperci mówią, że dziedziczenie biedy można przerwać dzięki edukacji i pracy z całą rodziną." \
  "Ważne jest, aby rodzice również otrzymali pomoc w znalezieniu zatrudnienia." \
  "Audycję przygotowała Magdalena Nowak."
ff -i "$work/radio2.wav" -map_metadata -1 -c:a libvorbis -q:a 0 -ac 1 -ar 22050 \
  -metadata title="Jak przerwać dziedziczenie biedy" \
  -metadata artist="Radio Mazowsze Społeczne" \
  -metadata album="Rozmowy o pomocy społecznej" \
  -metadata date="2009-10-17" -metadata genre="Speech" -metadata language="pol" \
  -metadata description="Audycja na Międzynarodowy Dzień Walki z Ubóstwem: jak edukacja i praca z całą rodziną pomagają przerwać dziedziczenie biedy." \
  "${bitexact[@]}" "$out/radio/rozmowy-jak-przerwac-dziedziczenie-biedy-2009.ogg"

# TV broadcast: MP4 (H.264 + AAC), chapters, mov_text subtitles; 2018.
speak tv \
  "#Zapowiedź" \
  "Witamy w magazynie Rodzina bliżej." \
  "Dziś opowiemy o pracy asystenta rodziny." \
  "#Reportaż z Siedlec" \
  "Pani Joanna od pięciu lat odwiedza rodziny w Siedlcach." \
  "Pomaga rodzicom zaplanować domowy budżet i załatwić sprawy w urzędach." \
  "Najważniejsze jest zaufanie, które buduje się miesiącami." \
  "#Rozmowa w studiu" \
  "W studiu pytamy, jak gminy mogą lepiej wspierać rodziny." \
  "Asystent rodziny pracuje z rodziną w jej domu, a nie za biurkiem." \
  "Dzięki temu dzieci mogą bezpiecznie wychowywać się u swoich rodziców."
ff -filter_complex "$(video_graph tv 0x1f4e79 0x7a3b12 0x2e6b3a)" \
  -i "$work/tv.wav" -i "$work/tv.srt" -i "$work/tv.ffmeta" \
  -map '[v]' -map 0:a -map 1:s -map_metadata 2 -map_chapters 2 -t "$(duration_of tv)" \
  "${x264[@]}" -c:a aac -b:a 32k -ac 1 -ar 22050 -c:s mov_text \
  -metadata:s:a:0 language=pol -metadata:s:s:0 language=pol -metadata:s:s:0 handler_name="Polski" \
  -metadata title="Asystent rodziny – jak pomaga rodzinom w kryzysie" \
  -metadata artist="Telewizja Regionalna Mazowsze" -metadata network="Telewizja Regionalna Mazowsze" \
  -metadata show="Rodzina bliżej" -metadata album="Rodzina bliżej" \
  -metadata date="2018-11-20" -metadata creation_time="2018-11-20T17:30:00Z" \
  -metadata genre="Magazyn społeczny" \
  -metadata comment="Magazyn o wspieraniu rodziny: reportaż o asystentce rodziny z Siedlec i rozmowa w studiu." \
  -metadata description="Jak asystent rodziny pomaga rodzinom w kryzysie, żeby dzieci mogły wychowywać się u swoich rodziców." \
  -movflags +faststart "${bitexact[@]}" "$out/telewizja/rodzina-blizej-asystent-rodziny-2018.mp4"

# Film: MKV (H.264 + Vorbis), chapters, subrip subtitles, made from the sources
# (not remuxed from an MP4); 2015. Timestamps are not shifted to make the audio
# priming packet non-negative, so the subtitle packets keep the exact cue times
# (the first Vorbis packet has pts -0.023 s; decoding starts at 0).
speak film \
  "#Wprowadzenie" \
  "Spółdzielnia socjalna Smaki Mazowsza działa w Mińsku Mazowieckim od dwóch lat." \
  "Tworzy ją siedem osób, które wcześniej długo szukały pracy." \
  "#Jak powstała spółdzielnia" \
  "Założyciele otrzymali dotację i pomoc doradcy z ośrodka wsparcia ekonomii społecznej." \
  "Dziś spółdzielnia przygotowuje obiady dla trzech szkół i przedszkola." \
  "#Praca, która zmienia życie" \
  "Praca w spółdzielni dała nam poczucie, że znowu jesteśmy komuś potrzebni." \
  "Ekonomia społeczna to przedsiębiorczość, która służy ludziom."
ff -filter_complex "$(video_graph film 0x5b2c6f 0x1d6f6b 0x8a6d1b)" \
  -i "$work/film.wav" -i "$work/film.srt" -i "$work/film.ffmeta" \
  -map '[v]' -map 0:a -map 1:s -map_metadata 2 -map_chapters 2 -t "$(duration_of film)" \
  "${x264[@]}" -c:a libvorbis -q:a 0 -ac 1 -ar 22050 -c:s srt \
  -metadata:s:a:0 language=pol -metadata:s:s:0 language=pol -metadata:s:s:0 title="Polski" \
  -metadata title="Spółdzielnia socjalna od kuchni" \
  -metadata artist="Regionalne Centrum Polityki Społecznej" \
  -metadata date="2015-06-15" -metadata creation_time="2015-06-15T10:00:00Z" \
  -metadata genre="Film dokumentalny" \
  -metadata comment="Film edukacyjny o spółdzielni socjalnej Smaki Mazowsza z Mińska Mazowieckiego." \
  -metadata description="Jak osoby długo szukające pracy założyły spółdzielnię socjalną i gotują obiady dla szkół." \
  -avoid_negative_ts disabled "${bitexact[@]}" "$out/filmy/spoldzielnia-socjalna-od-kuchni-2015.mkv"

# Spot: MP4 without chapters or embedded subtitles; its transcript is the
# sidecar .srt beside it; 2024.
speak spot \
  "Masz wolną godzinę w tygodniu?" \
  "Zostań wolontariuszem i pomóż sąsiadom, którzy są samotni." \
  "Szczegóły znajdziesz w najbliższym ośrodku pomocy społecznej."
ff -filter_complex "$(video_graph spot 0xb5462a)" -i "$work/spot.wav" \
  -map '[v]' -map 0:a -map_metadata -1 -t "$(duration_of spot)" \
  "${x264[@]}" -c:a aac -b:a 32k -ac 1 -ar 22050 -metadata:s:a:0 language=pol \
  -metadata title="Zostań wolontariuszem – spot kampanii" \
  -metadata artist="Regionalne Centrum Polityki Społecznej" \
  -metadata date="2024-12-05" -metadata creation_time="2024-12-05T09:00:00Z" \
  -metadata genre="Spot społeczny" \
  -metadata comment="Spot zachęcający do wolontariatu sąsiedzkiego na rzecz samotnych seniorów." \
  -movflags +faststart "${bitexact[@]}" "$out/filmy/zostan-wolontariuszem-spot-2024.mp4"
cp "$work/spot.srt" "$out/filmy/zostan-wolontariuszem-spot-2024.srt"

# --- manifest ----------------------------------------------------------------
# Campaigns use the canonical names of config/mediateka.toml, except two rows
# that use other spellings on purpose ("ekonomia spoleczna" without diacritics
# and the alias "Wolontariat w pomocy społecznej") to exercise vocabulary matching.
cat >"$out/manifest.csv" <<'CSV'
id,source,type,title,campaign,year,date,project,series,issue,description,authors,language
,publikacje/pomoc-spoleczna-na-mazowszu-2007-2013.pdf,publication,Pomoc społeczna na Mazowszu 2007–2013. Raport z projektu „Razem dla Mazowsza”,Aktywna integracja;Przeciwdziałanie dziedziczeniu biedy,2013,2013-12-10,Razem dla Mazowsza,Raporty i analizy,,"Raport podsumowujący siedem lat pracy ośrodków pomocy społecznej, organizacji pozarządowych i samorządów: aktywna integracja, dziedziczenie biedy, wspieranie rodziny, ekonomia społeczna, wolontariat i źródła finansowania.",Elżbieta Wójcik;Grzegorz Łęcki,pl
,publikacje/lodz-reportaz-o-ekonomii-spolecznej.pdf,publication,Łódź – reportaż o ekonomii społecznej,ekonomia spoleczna,2016,2016-05-20,Liderzy Kooperacji,,,"Reportaż o spółdzielniach socjalnych w Łodzi: piekarnia ""Zakwas"" na Księżym Młynie, klauzule społeczne i współpraca z gminami z Mazowsza.",Katarzyna Wiśniewska;Paweł Żółkiewski,pl
,publikacje/wolontariusz-w-osrodku-pomocy-spolecznej.pdf,publication,Wolontariusz w ośrodku pomocy społecznej. Poradnik dla koordynatorów,Wolontariat w pomocy społecznej,2011,,,Poradniki,,"Poradnik o rekrutacji, przygotowaniu i docenianiu wolontariuszy w ośrodkach pomocy społecznej.",Agnieszka Dąbrowska,pl
,publikacje/rodzina-w-centrum.pdf,publication,Rodzina w centrum. Jak gminy wspierają rodziny przeżywające trudności,Wspieranie rodziny;Przeciwdziałanie dziedziczeniu biedy,2019,2019-09-16,,Poradniki,,Asystent rodziny i placówki wsparcia dziennego jako sposób na kryzys w rodzinie i dziedziczenie biedy.,Tomasz Grabowski,pl
,publikacje/bez-barier-praca-i-niezalezne-zycie.pdf,publication,Bez barier. Praca i niezależne życie osób niepełnosprawnych na Mazowszu,Niepełnosprawność bez barier;Aktywna integracja,2021,2021-12-03,,,,"Zatrudnienie wspomagane, asystencja osobista i dostępność: jak osoby niepełnosprawne mogą pracować i żyć samodzielnie.",Anna Kowalczyk;Jan Zieliński,pl
,biuletyn/biuletyn-rcps-1-2012.pdf,bulletin,Biuletyn nr 1/2012 – Wolontariat i wspieranie rodziny,Wolontariat;Wspieranie rodziny,2012,2012-03-30,Razem dla Mazowsza,Biuletyn Regionalnego Centrum Polityki Społecznej,1/2012,"Nowa ustawa o wspieraniu rodziny, pierwsi asystenci rodziny, podsumowanie Europejskiego Roku Wolontariatu.",Regionalne Centrum Polityki Społecznej,pl
,biuletyn/biuletyn-rcps-3-2014.pdf,bulletin,Biuletyn nr 3/2014 – Ekonomia społeczna i przeciwdziałanie dziedziczeniu biedy,Ekonomia społeczna;Przeciwdziałanie dziedziczeniu biedy,2014,2014-09-30,Liderzy Kooperacji,Biuletyn Regionalnego Centrum Polityki Społecznej,3/2014,"Krajowy Program Rozwoju Ekonomii Społecznej, start projektu „Liderzy Kooperacji”, badania o dziedziczeniu biedy.",Regionalne Centrum Polityki Społecznej,pl
,radio/rozmowy-wolontariusze-w-pomocy-spolecznej-2012.mp3,radio,Wolontariusze w pomocy społecznej,Wolontariat,2012,2012-12-05,Razem dla Mazowsza,Rozmowy o pomocy społecznej,,Audycja na Międzynarodowy Dzień Wolontariusza o wolontariuszach w ośrodkach pomocy społecznej na Mazowszu.,Magdalena Nowak;Piotr Lewandowski,pl
,radio/rozmowy-jak-przerwac-dziedziczenie-biedy-2009.ogg,radio,Jak przerwać dziedziczenie biedy,Przeciwdziałanie dziedziczeniu biedy,2009,2009-10-17,,Rozmowy o pomocy społecznej,,"Audycja na Międzynarodowy Dzień Walki z Ubóstwem: świetlice środowiskowe, edukacja i praca z całą rodziną.",Magdalena Nowak,pl
,telewizja/rodzina-blizej-asystent-rodziny-2018.mp4,tv,Asystent rodziny – jak pomaga rodzinom w kryzysie,Wspieranie rodziny,2018,2018-11-20,,Rodzina bliżej,,Magazyn telewizyjny: reportaż o asystentce rodziny z Siedlec i rozmowa w studiu o wspieraniu rodzin przez gminy.,Joanna Szymańska,pl
,filmy/spoldzielnia-socjalna-od-kuchni-2015.mkv,film,Spółdzielnia socjalna od kuchni,Ekonomia społeczna;Aktywna integracja,2015,2015-06-15,Liderzy Kooperacji,Ekonomia społeczna w praktyce,,"Film dokumentalny o spółdzielni socjalnej ""Smaki Mazowsza"" z Mińska Mazowieckiego, która gotuje obiady dla szkół.",Michał Wróbel;Ewa Jabłońska,pl
,filmy/zostan-wolontariuszem-spot-2024.mp4,film,Zostań wolontariuszem – spot kampanii,Wolontariat,2024,2024-12-05,,,,Krótki spot zachęcający do wolontariatu sąsiedzkiego na rzecz samotnych seniorów.,Regionalne Centrum Polityki Społecznej,pl
CSV

# --- checks and README -------------------------------------------------------
# Every media file must be in the manifest, every manifest source must exist,
# the files must carry the streams, chapters and tags described in the README.
"$py" - "$out" "$work" "$root/config/mediateka.toml" <<'PY'
import collections, csv, json, os, subprocess, sys, tomllib, unicodedata
out, work, config = sys.argv[1:4]

def fail(msg):
    sys.exit("make-samples: check failed: " + msg)

def probe(path):
    return json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         "-show_chapters", path], check=True, capture_output=True, text=True).stdout)

rows = list(csv.DictReader(open(os.path.join(out, "manifest.csv"), encoding="utf-8", newline="")))
header = "id,source,type,title,campaign,year,date,project,series,issue,description,authors,language"
if open(os.path.join(out, "manifest.csv"), encoding="utf-8").readline().strip() != header:
    fail("manifest header")
sources = [r["source"] for r in rows]
media = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs
               if not f.endswith((".srt", ".csv", ".md")))
if sorted(sources) != media:
    fail("manifest sources %s != files %s" % (sorted(sources), media))
for r in rows:
    if None in r or len(r) != 13 or r["id"] or r["language"] != "pl":
        fail("bad row %r" % r)

# Campaign vocabulary: case- and diacritics-insensitive, aliases allowed.
def fold(s):
    s = s.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).casefold().strip()
vocab = {}
for c in tomllib.load(open(config, "rb"))["campaigns"]:
    for spelling in [c["name"]] + c.get("aliases", []):
        vocab[fold(spelling)] = c["name"]
written_otherwise = []
for r in rows:
    names = [n.strip() for n in r["campaign"].split(";") if n.strip()]
    for n in names:
        if fold(n) not in vocab:
            fail("unknown campaign %r" % n)
        if vocab[fold(n)] != n:
            written_otherwise.append((r["source"], n, vocab[fold(n)]))
    r["campaigns"] = [vocab[fold(n)] for n in names]

pdf_facts = json.load(open(os.path.join(work, "pdf-facts.json"), encoding="utf-8"))
speech = {name: json.load(open(os.path.join(work, name + ".json"), encoding="utf-8"))
          for name in ("radio1", "radio2", "tv", "film", "spot")}
media_files = {
    "radio1": "radio/rozmowy-wolontariusze-w-pomocy-spolecznej-2012.mp3",
    "radio2": "radio/rozmowy-jak-przerwac-dziedziczenie-biedy-2009.ogg",
    "tv": "telewizja/rodzina-blizej-asystent-rodziny-2018.mp4",
    "film": "filmy/spoldzielnia-socjalna-od-kuchni-2015.mkv",
    "spot": "filmy/zostan-wolontariuszem-spot-2024.mp4",
}
probes = {name: probe(os.path.join(out, path)) for name, path in media_files.items()}

def codecs(p):
    return [s["codec_name"] for s in p["streams"]]
expect = {"radio1": ["mp3"], "radio2": ["vorbis"], "tv": ["h264", "aac", "mov_text", "bin_data"],
          "film": ["h264", "vorbis", "subrip"], "spot": ["h264", "aac"]}
for name, p in probes.items():
    got = codecs(p)
    if got != expect[name] and not (name == "tv" and got[:3] == expect[name][:3]):
        fail("%s streams %s" % (name, got))
    chapters = [(round(float(c["start_time"]), 3), c["tags"]["title"]) for c in p["chapters"]]
    want = [(c["start"], c["title"]) for c in speech[name]["chapters"]]
    if chapters != want:
        fail("%s chapters %s != %s" % (name, chapters, want))
    duration = float(p["format"]["duration"])
    if abs(duration - speech[name]["duration"]) > 0.15:
        fail("%s duration %.3f, speech %.3f" % (name, duration, speech[name]["duration"]))
    if speech[name]["cues"][-1]["end"] > duration:
        fail("%s last cue ends after the file" % name)
tags_mp3 = {k.lower(): v for k, v in probes["radio1"]["format"].get("tags", {}).items()}
tags_ogg = {k.lower(): v for k, v in probes["radio2"]["streams"][0].get("tags", {}).items()}
for name, tags in (("radio1", tags_mp3), ("radio2", tags_ogg)):
    for key in ("title", "artist", "album", "date", "genre", "comment"):
        if not tags.get(key):
            fail("%s lacks tag %s (%s)" % (name, key, tags))
    if tags["genre"] != "Speech" or not tags["artist"].startswith("Radio "):
        fail("%s tags %s" % (name, tags))
for name in ("tv", "film"):
    sub = [s for s in probes[name]["streams"] if s["codec_type"] == "subtitle"][0]
    if sub.get("tags", {}).get("language") != "pol":
        fail("%s subtitle language %s" % (name, sub.get("tags")))
# The embedded subtitles must carry exactly the speech cues.
for name in ("tv", "film"):
    path = os.path.join(out, media_files[name])
    srt = subprocess.run(["ffmpeg", "-v", "error", "-copyts", "-i", path, "-map", "0:s:0", "-f", "srt", "-"],
                         check=True, capture_output=True, text=True).stdout
    if srt.strip() != open(os.path.join(work, name + ".srt"), encoding="utf-8").read().strip():
        fail("%s embedded subtitles differ from the cues:\n%s" % (name, srt))

# ------------------------------------------------------------------ README
def mmss(t):
    return "%d:%06.3f" % (int(t // 60), t - 60 * int(t // 60))
def pdf_info(path):
    return pdf_facts[path]["pages"]
by_source = {r["source"]: r for r in rows}
lines = []
w = lines.append
w("# Mediateka sample collection")
w("")
w("Generated by `scripts/make-samples.sh` (with `scripts/make_sample_pdfs.py`); do not edit by hand —")
w("change the script and run it again. It rebuilds this folder from scratch and, with the same")
w("Debian 12 packages (python3-reportlab, fonts-dejavu-core, espeak-ng 1.51, ffmpeg 5.1), produces")
w("byte-identical files. Everything is fictional but realistic Polish material of a regional")
w("social-policy centre (\"Regionalne Centrum Polityki Społecznej\"), 2009–2024. PDFs carry full Polish")
w("diacritics in their text and in their metadata (title, author, subject, keywords are UTF-16 in the")
w("PDF; creation dates are fixed). Speech is `espeak-ng -v pl`; pictures are plain colours, 320x180, 10 fps.")
w("")
w("Import it with `mediateka-index import --manifest samples/manifest.csv` (see `scripts/run-sample.sh`).")
w("")
w("## Files")
w("")
w("| source | type | title | campaigns (canonical) | year | project | size |")
w("| --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    path = r["source"]
    if path in pdf_facts:
        size = "%d pages" % pdf_facts[path]["pages"]
    else:
        name = [k for k, v in media_files.items() if v == path][0]
        size = "%.3f s" % float(probes[name]["format"]["duration"])
    w("| `%s` | %s | %s | %s | %s | %s | %s |" % (path, r["type"], r["title"], "; ".join(r["campaigns"]),
                                             r["year"], r["project"] or "—", size))
w("")
w("Besides these, `filmy/zostan-wolontariuszem-spot-2024.srt` is the sidecar transcript of")
w("`filmy/zostan-wolontariuszem-spot-2024.mp4` (the only transcript that video has), and")
w("`manifest.csv` / `README.md` are not items. Every other file is one row of the manifest.")
w("")
w("The folder layout agrees with the type inference used without a manifest: `publikacje/*.pdf` →")
w("publication, `biuletyn/*.pdf` → bulletin, `radio/*` (audio) → radio, `telewizja/*.mp4` → tv,")
w("`filmy/*` (video) → film. Every file carries its date (PDF CreationDate, `date` tag in audio and")
w("video) in the item's year, equal to the manifest `date` where the manifest has one.")
w("")
w("### Media details (ffprobe)")
w("")
w("- `radio/…-2012.mp3`: MP3 22050 Hz mono 32 kb/s; ID3v2.4 tags title, artist `Radio Mazowsze Społeczne`,")
w("  album `Rozmowy o pomocy społecznej` (the series), date `2012-12-05`, genre `Speech`, comment, language `pol`.")
w("- `radio/…-2009.ogg`: Ogg Vorbis 22050 Hz mono; Vorbis comments (on the stream) TITLE, ARTIST `Radio Mazowsze")
w("  Społeczne`, ALBUM `Rozmowy o pomocy społecznej`, DATE `2009-10-17`, GENRE `Speech`, LANGUAGE `pol`,")
w("  DESCRIPTION (ffmpeg/libavformat report it under the key `comment`). Keys are written in lower case.")
w("- `telewizja/…-2018.mp4`: H.264 320x180 10 fps + AAC 22050 Hz mono + mov_text subtitles (language `pol`)")
w("  + a data stream that ffmpeg adds for the chapters; 3 chapters; tags title, artist/network `Telewizja")
w("  Regionalna Mazowsze`, show/album `Rodzina bliżej`, date `2018-11-20`, creation_time, genre, comment, description.")
w("- `filmy/…-2015.mkv`: H.264 320x180 + Vorbis 22050 Hz mono + subrip subtitles (language `pol`, title `Polski`);")
w("  3 chapters; tags TITLE, ARTIST, DATE `2015-06-15`, GENRE, COMMENT, DESCRIPTION (upper-case keys).")
w("- `filmy/…-2024.mp4`: H.264 320x180 + AAC mono; no chapters, no embedded subtitles; sidecar `.srt`.")
w("")
w("## Known facts")
w("")
w("### PDF pages")
w("")
w("Each phrase below stands on the given page (1-based) and on no other page of that PDF, as extracted")
w("by `pdftotext` with whitespace collapsed and case ignored (the generator checks this). A phrase")
w("ending in `*` is a word prefix: no word on any other page of the PDF starts with it (so an inflected")
w("query such as `Radomiu` or `spółdzielnia` can only match that page). Every page ends with a footer")
w("`strona N z M`; no two pages of a PDF have the same text.")
w("")
for path, info in pdf_facts.items():
    w("- `%s` — %d pages, PDF title „%s”, author „%s”:" % (path, info["pages"], info["title"], info["author"]))
    for f in info["facts"]:
        w("  - page %d: „%s”" % (f["page"], f["phrase"]))
w("")
long = pdf_facts["publikacje/pomoc-spoleczna-na-mazowszu-2007-2013.pdf"]
w("Inflected forms in the long publication and the pages where each occurs as a whole-word phrase")
w("(the footer `Pomoc społeczna na Mazowszu 2007–2013` on every page accounts for „pomoc społeczna”")
w("and „na Mazowszu” being everywhere):")
w("")
for f in long["forms"]:
    w("- „%s”: page%s %s" % (f["form"], "s" if len(f["pages"]) > 1 else "", ", ".join(map(str, f["pages"]))))
w("")
w("### Speech and subtitle cues")
w("")
w("Times are seconds from the start of the file. Each cue spans exactly one spoken sentence (the")
w("sentence's espeak-ng WAV starts at the cue start and ends at the cue end; silence between). For")
w("the TV broadcast and the film the cues are embedded subtitles; for the spot they are in the")
w("sidecar `.srt`. The radio broadcasts have no transcript: their cue times are given for demos only")
w("(audio is not searchable by text).")
w("")
for name, path in media_files.items():
    info = speech[name]
    where = {"tv": "embedded mov_text", "film": "embedded subrip", "spot": "sidecar .srt"}.get(name, "not a transcript")
    w("#### `%s` (%.3f s; cues: %s)" % (path, float(probes[name]["format"]["duration"]), where))
    w("")
    if info["chapters"]:
        w("Chapters: " + "; ".join("„%s” at %.3f s" % (c["title"], c["start"]) for c in info["chapters"]) + ".")
        w("")
    w("| # | start | end | text |")
    w("| --- | --- | --- | --- |")
    for c in info["cues"]:
        w("| %d | %.3f | %.3f | %s |" % (c["n"], c["start"], c["end"], c["text"]))
    w("")
# Where exact phrases occur across the whole collection: PDF text and metadata, transcripts
# (embedded subtitles and the sidecar; radio speech is not text), file tags and manifest fields.
import re
def has(phrase, text):
    return re.search(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)", " ".join(text.split()).lower()) is not None
def tag_values(p):
    values = list(p["format"].get("tags", {}).values())
    for st in p["streams"]:
        values += list(st.get("tags", {}).values())
    return values + [c["tags"].get("title", "") for c in p["chapters"]]
phrases = ["spółdzielnie socjalne na Mazowszu", "spółdzielnie socjalne", "wolontariusze z Radomia",
           "Księżym Młynie", "Smaki Mazowsza", "Mińsku Mazowieckim", "wolną godzinę w tygodniu",
           "Rodzina bliżej", "asystent rodziny", "dziedziczenie biedy", "Siedlcach",
           "Międzynarodowy Dzień Wolontariusza", "ośrodki pomocy społecznej", "Liderzy Kooperacji"]
w("### Exact phrases across the collection")
w("")
w("Where each phrase occurs (whole words, case-insensitive, diacritics as written) in the text an")
w("indexer can see: PDF pages, PDF metadata, transcripts (embedded subtitles, the sidecar), chapter")
w("titles, file tags and manifest fields. Radio speech is not text and is not counted.")
w("")
for phrase in phrases:
    found = []
    for r in rows:
        src, where = r["source"], []
        manifest_text = " ".join(r[k] for k in ("title", "campaign", "project", "series", "description", "authors"))
        if has(phrase, manifest_text):
            where.append("manifest")
        if src in pdf_facts:
            pages = [str(n) for n, t in enumerate(pdf_facts[src]["texts"], 1) if has(phrase, t)]
            if pages:
                where.append("page " + ",".join(pages))
            if any(has(phrase, m) for m in pdf_facts[src]["metadata"]):
                where.append("PDF metadata")
        else:
            name = [k for k, v in media_files.items() if v == src][0]
            if name in ("tv", "film", "spot"):
                cues = [c for c in speech[name]["cues"] if has(phrase, c["text"])]
                if cues:
                    where.append("cue " + ",".join("%d (%.3f–%.3f s)" % (c["n"], c["start"], c["end"]) for c in cues))
            if any(has(phrase, v) for v in tag_values(probes[name])):
                where.append("tags")
        if where:
            found.append("`%s` (%s)" % (src, "; ".join(where)))
    w("- „%s” — %d item%s: %s" % (phrase, len(found), "" if len(found) == 1 else "s", "; ".join(found) or "none"))
w("")
w("### Manifest")
w("")
w("`manifest.csv`: %d rows, `id` empty in every row, `language` `pl` everywhere, LF line ends, RFC 4180" % len(rows))
w("quoting (several quoted fields contain commas; the rows of `lodz-reportaz…` and `spoldzielnia-socjalna…`")
w("contain doubled quotes `\"\"` inside a quoted description). `campaign` and `authors` use `;` between values.")
w("The row of `wolontariusz-w-osrodku…` has an empty `date` (year 2011 only).")
w("")
w("Campaigns written differently from the canonical name (must be matched by the vocabulary):")
for source, written, canonical in written_otherwise:
    w("- `%s`: „%s” → „%s”" % (source, written, canonical))
w("")
def counts(values):
    return collections.Counter(values)
def table(title, counter, order=None):
    w("%s:" % title)
    keys = order if order else sorted(counter, key=lambda k: (-counter[k], k))
    for k in keys:
        w("- %s: %d" % (k, counter[k]))
    w("")
table("Items by type", counts(r["type"] for r in rows),
      [t for t in ("publication", "bulletin", "film", "radio", "tv")])
table("Items by campaign (canonical; an item counts once per campaign)",
      counts(c for r in rows for c in r["campaigns"]))
years = counts(r["year"] for r in rows)
table("Items by year", years, sorted(years))
projects = counts(r["project"] or "(none)" for r in rows)
table("Items by project", projects)
w("Total: %d items (%d PDFs with %d pages in all, %d audio, %d video)." % (
    len(rows), len(pdf_facts), sum(v["pages"] for v in pdf_facts.values()), 2, 3))
open(os.path.join(out, "README.md"), "w", encoding="utf-8").write("\n".join(lines) + "\n")
print("make-samples: checks passed, README.md written")
PY

du -sh "$out" | sed 's/^/make-samples: total /'
