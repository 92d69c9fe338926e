#!/usr/bin/env bash
# Benchmarks import and search; prints a Markdown table for docs/performance.md.
#
#   scripts/bench.sh [N_PDFS]        (default 300; the corpus is cached in var/bench/)
#
# Import: mediateka-index over N generated Polish PDFs (fresh index, then a re-run with nothing
# changed, then the same without lemmatisation for comparison), next to pdftotext over the same
# files one after another and with two jobs, Xapian's omindex and Recoll over the same files, and
# the least an import needs (mediateka-bench-import-floor: extraction, covers and plain Xapian
# indexing, each timed alone). Search: /api/search under wrk with keep-alive.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-300}
jobs=${JOBS:-$(nproc)}
root=var/bench
corpus=$root/pdfs-v2-$count  # v2: a dictionary-sized vocabulary
build_dir=${BUILD_DIR:-build-release}

scripts/install-deps.sh
command -v wrk >/dev/null && [ -x /usr/bin/time ] && command -v omindex >/dev/null &&
  command -v recollindex >/dev/null || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    wrk time xapian-omega recollcmd >/dev/null
}
BUILD_DIR=$build_dir BUILD_TYPE=Release scripts/build.sh >/dev/null

if [ ! -d "$corpus" ]; then
  /usr/bin/python3 scripts/make_bench_pdfs.py "$corpus" "$count"
fi
pages=$(for f in "$corpus"/*.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done |
  awk '{s += $1} END {print s}')
megabytes=$(du -sm "$corpus" | cut -f1)

seconds() { # runs a command, prints its wall time in seconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN {printf "%.2f", ns / 1e9}'
}

pdftotext_serial=$(seconds bash -c "for f in $corpus/*.pdf; do pdftotext \"\$f\" /dev/null; done")
pdftotext_parallel=$(seconds bash -c \
  "ls $corpus/*.pdf | xargs -P$jobs -n1 -I{} pdftotext {} /dev/null")

# Other indexers over the same files: omindex (one process, pdftotext as its filter) and Recoll
# (its own threads, pdftotext through a Python filter; no spelling dictionary).
rm -rf "$root/omega" "$root/recoll"
omindex_full=$(seconds omindex --db "$root/omega" --url / "$PWD/$corpus")
mkdir -p "$root/recoll"
printf 'topdirs = %s\n' "$PWD/$corpus" >"$root/recoll/recoll.conf"
recoll_full=$(seconds recollindex -c "$root/recoll" -z)

# Each part an import cannot do without, alone, in CPU seconds on one thread.
floor=$("$build_dir/mediateka-bench-import-floor" "$corpus")
floor_of() { awk -v key="$1" '$1 == key {print $2}' <<<"$floor"; }
floor_extraction=$(floor_of extraction)
floor_covers=$(floor_of covers)
floor_plain=$(floor_of plain_index)
cores=$(nproc)
bound() { awk -v cores="$cores" -v sum="$*" 'BEGIN {n = split(sum, a, " "); s = 0;
  for (i = 1; i <= n; i++) s += a[i]; printf "%.2f", s / cores}'; }
bound_plain=$(bound "$floor_extraction" "$floor_plain")
bound_covers=$(bound "$floor_extraction" "$floor_covers" "$floor_plain")
target=$(awk -v p="$pdftotext_parallel" 'BEGIN {printf "%.2f", 1.15 * p}')

measure_import() { # DB → "seconds peak_rss_mb"
  /usr/bin/time -f '%e %M' -o "$root/time.txt" "$build_dir/mediateka-index" import --quiet \
    --db "$1" --jobs "$jobs" "$corpus" >/dev/null 2>&1 || true
  awk '{printf "%.2f %d", $1, $2 / 1024}' "$root/time.txt"
}
rm -rf "$root/index" "$root/index-plain"
read -r import_full rss_full <<<"$(measure_import "$root/index")"
read -r import_again rss_again <<<"$(measure_import "$root/index")"
peak_rss_mb=$(( rss_full > rss_again ? rss_full : rss_again ))
read -r import_plain _ <<<"$(MEDIATEKA_NO_DICTIONARY=1 measure_import "$root/index-plain")"

# The server on its own port; wrk with keep-alive (wrk always keeps connections open).
port=${BENCH_PORT:-18089}
"$build_dir/mediateka-server" --db "$root/index" --port "$port" --threads 2 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

latency() { # URL → "median with 1 connection | median | p99 with 8 | requests/s with 8"
  local single
  single=$(wrk -t1 -c1 -d"${WRK_SECONDS:-10}"s --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ {printf "%.2f", ms($2)}')
  wrk -t2 -c8 -d"${WRK_SECONDS:-10}"s --latency "$1" | awk -v single="$single" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /Requests\/sec/ {rps = $2}
    END {printf "%s | %.2f | %.2f | %.0f", single, p50, p99, rps}'
}
base="http://127.0.0.1:$port/api/search"
q_words=$(latency "$base?q=pomoc+spoleczna")
q_phrase=$(latency "$base?q=%22osoby+niepe%C5%82nosprawne%22&type=publication")
q_browse=$(latency "$base")
q_facets=$(latency "$base?q=wolontariuszy&type=publication&year_from=2000")

cat <<TABLE
Corpus: $count PDFs, $pages pages, $megabytes MB; $(nproc) cores; jobs $jobs.

| import step | seconds |
| --- | --- |
| pdftotext, one file after another | $pdftotext_serial |
| pdftotext, $jobs jobs | $pdftotext_parallel |
| mediateka-index import, new index | $import_full |
| mediateka-index import, nothing changed | $import_again |
| mediateka-index import, new index, no lemmatisation (MEDIATEKA_NO_DICTIONARY=1) | $import_plain |
| mediateka-index peak RSS (MB) | $peak_rss_mb |
| omindex (Xapian's indexer), new index | $omindex_full |
| recollindex, new index | $recoll_full |

| the least an import does, each part alone on one thread | CPU seconds |
| --- | --- |
| extraction: Poppler's text of every page, in one process | $floor_extraction |
| covers: the first page of each PDF as a 320-pixel PNG | $floor_covers |
| plain Xapian index: TermGenerator, positions, no stemmer, no spelling | $floor_plain |
| lower bound on $cores cores, extraction + plain index | $bound_plain s wall |
| lower bound on $cores cores, extraction + covers + plain index | $bound_covers s wall |
| target: 1.15 × pdftotext with $jobs jobs | $target s wall |

| /api/search (wrk, keep-alive) | median ms, 1 connection | median ms, 8 connections | p99 ms, 8 | requests/s, 8 |
| --- | --- | --- | --- | --- |
| \`q=pomoc spoleczna\` (facets, snippets, locations) | $q_words |
| \`q="osoby niepełnosprawne"&type=publication\` | $q_phrase |
| browse, no query (facets) | $q_browse |
| \`q=wolontariuszy&type=publication&year_from=2000\` | $q_facets |
TABLE
