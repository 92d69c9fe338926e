#!/usr/bin/env bash
# Times a no-change re-import: what a nightly cron job over an unchanged collection costs.
#
#   scripts/bench-rerun.sh [N_ITEMS] [RUNS]     (defaults 364 items, 9 runs)
#
# The collection is scripts/make_archive.py's (Polish PDFs of 1-3 pages and their manifest,
# cached in var/bench/archive-N); it is imported once into a fresh index, then again RUNS times
# with nothing changed. Prints the median, lowest and highest wall time and the median CPU time
# (user + sys) and peak RSS of those re-runs. INDEX_BIN names the mediateka-index to time
# (default: build/mediateka-index), so that two builds can be compared on the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-364}
runs=${2:-9}
bin=${INDEX_BIN:-build/mediateka-index}
root=var/bench
corpus=$root/archive-$count
index=$root/rerun-index-$$
[ -x "$bin" ] || { echo "bench-rerun: no $bin (build it, or set INDEX_BIN)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-rerun: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -f "$corpus/manifest.csv" ] || /usr/bin/python3 scripts/make_archive.py "$corpus" "$count" >/dev/null
trap 'rm -rf "$index" "$index-thumbs" "$index.times"' EXIT

command=("$bin" import --quiet --config config/mediateka.toml --db "$index" --jobs 2
  --manifest "$corpus/manifest.csv")
"${command[@]}" >/dev/null
for _ in $(seq "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -a -o "$index.times" "${command[@]}" >/dev/null
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
wall=$(awk '{ print $1 }' "$index.times" | median)
lowest=$(awk '{ print $1 }' "$index.times" | sort -n | head -1)
highest=$(awk '{ print $1 }' "$index.times" | sort -n | tail -1)
cpu=$(awk '{ printf "%.2f\n", $2 + $3 }' "$index.times" | median)
rss=$(awk '{ print $4 }' "$index.times" | sort -n | tail -1)
echo "no-change re-run of $count items, $runs runs: wall median $wall s ($lowest-$highest)," \
  "CPU median $cpu s, peak RSS $((rss / 1024)) MB"
