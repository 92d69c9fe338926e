#!/usr/bin/env bash
# Peak memory of mediateka-index against the number of sources: N one-page PDFs (default 4000),
# a full import into a new index and a re-run with nothing changed, each under /usr/bin/time.
# Prints a Markdown table for docs/performance.md.
#
#   scripts/bench-memory.sh [N]        (the files are cached in var/bench/)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-4000}
root=var/bench
corpus=$root/one-page-$count
build_dir=${BUILD_DIR:-build-release}

scripts/install-deps.sh
[ -x /usr/bin/time ] || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq time >/dev/null
}
BUILD_DIR=$build_dir BUILD_TYPE=Release scripts/build.sh >/dev/null

if [ ! -d "$corpus" ]; then
  mkdir -p "$corpus.tmp"
  /usr/bin/python3 - "$corpus.tmp" "$count" <<'PY'
import random, sys
from reportlab import rl_config
from reportlab.pdfgen import canvas
rl_config.invariant = 1
out, count = sys.argv[1], int(sys.argv[2])
words = ("pomoc społeczna rodzina wolontariat ekonomia integracja aktywna program projekt gmina "
         "ośrodek wsparcie dzieci młodzież seniorzy praca zatrudnienie szkolenie kampania").split()
random.seed(1)
for i in range(count):
    c = canvas.Canvas(f"{out}/dokument-{i:06d}.pdf")
    c.setTitle(f"Dokument {i} " + random.choice(words))
    c.drawString(72, 720, " ".join(random.choice(words) for _ in range(12)) + f" numer{i}")
    c.showPage()
    c.save()
PY
  mv "$corpus.tmp" "$corpus"
fi

measure() { # → "seconds peak_rss_mb"
  /usr/bin/time -f '%e %M' -o "$root/time.txt" "$build_dir/mediateka-index" import --quiet \
    --db "$root/index-memory" --jobs "$(nproc)" "$corpus" >/dev/null 2>&1 || true
  awk '{printf "%.2f s, %d MB", $1, $2 / 1024}' "$root/time.txt"
}
rm -rf "$root/index-memory" "$root/index-memory-thumbs"
full=$(measure)
again=$(measure)
echo "| $count one-page PDFs | $full | $again |"
