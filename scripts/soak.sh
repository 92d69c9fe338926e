#!/usr/bin/env bash
# Soak: mediateka-server under a steady search load for a sustained time while mediateka-index
# imports a collection, prunes half of it and imports it again, in a loop. Checks that no answer
# is other than 2xx, that nothing fails, and that the server's memory (RSS) and open file
# descriptors stay flat. Prints Markdown tables for docs/performance.md; exits 1 when a check
# fails.
#
#   scripts/soak.sh                     10 minutes
#   SOAK_SECONDS=120 scripts/soak.sh    shorter
#
# Environment: SOAK_SECONDS (600), WINDOWS (10: latency is reported per window of
# SOAK_SECONDS/WINDOWS), SAMPLE_SECONDS (5: RSS and descriptors sampled from /proc), SOAK_PDFS
# (60 generated PDFs, cached in var/soak/), CONNECTIONS (8 wrk connections), FLAT_PERCENT (5: the
# last quarter's mean RSS may exceed the second quarter's by this much), BUILD_DIR (build),
# SOAK_PORT (18090).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SOAK_SECONDS:-600}
windows=${WINDOWS:-10}
sample_seconds=${SAMPLE_SECONDS:-5}
count=${SOAK_PDFS:-60}
connections=${CONNECTIONS:-8}
flat_percent=${FLAT_PERCENT:-5}
build_dir=${BUILD_DIR:-build}
port=${SOAK_PORT:-18090}
root=var/soak
window_seconds=$((seconds / windows))

command -v wrk >/dev/null || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
}
# The programs are copied: a rebuild during the soak must not swap them under the loop.
mkdir -p "$root/bin"
for program in mediateka-server mediateka-index mediateka-extract-worker; do
  [ -x "$build_dir/$program" ] || { echo "no $build_dir/$program: build first" >&2; exit 2; }
  cp "$build_dir/$program" "$root/bin/"
done
bin=$root/bin

corpus=$root/pdfs-$count
[ -d "$corpus" ] || /usr/bin/python3 scripts/make_bench_pdfs.py "$corpus" "$count"
collection=$root/collection  # what the importer reads: the corpus, or half of it
aside=$root/aside            # the other half while it is pruned
rm -rf "$root/index" "$root/index-thumbs" "$collection" "$aside" "$root/run"
mkdir -p "$collection" "$aside" "$root/run"
cp "$corpus"/*.pdf "$collection/"
run=$root/run

import() { "$bin/mediateka-index" import --quiet --db "$root/index" "$@" "$collection"; }
import >"$run/first-import.log" 2>&1

"$bin/mediateka-server" --db "$root/index" --port "$port" --threads 2 \
  >"$run/server.out" 2>"$run/server.err" &
server=$!
importer=""
sampler=""
cleanup() {
  rm -f "$run/importing"
  for pid in $importer $sampler; do kill "$pid" 2>/dev/null || true; done
  kill "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# The importer: the whole collection, then half of it with --prune (the other half's items are
# removed), then the whole again (they are read and indexed anew), until the soak ends.
touch "$run/importing"
(
  cycle=0
  while [ -e "$run/importing" ]; do
    cycle=$((cycle + 1))
    import >>"$run/import.log" 2>&1 || echo "cycle $cycle: full import exited $?" >>"$run/import-failures"
    find "$collection" -name '*.pdf' | sort | awk 'NR % 2 == 0' | xargs -r mv -t "$aside"
    [ -e "$run/importing" ] || { mv "$aside"/*.pdf "$collection/"; break; }
    import --prune >>"$run/import.log" 2>&1 || echo "cycle $cycle: pruning import exited $?" >>"$run/import-failures"
    mv "$aside"/*.pdf "$collection/"
    echo "$cycle" >"$run/cycles"
  done
) &
importer=$!

# The sampler: seconds since the start, RSS in kB, open descriptors of the server.
started=$(date +%s)
(
  while kill -0 "$server" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
    fds=$(find "/proc/$server/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    echo "$(($(date +%s) - started)) $rss $fds" >>"$run/samples"
    sleep "$sample_seconds"
  done
) &
sampler=$!

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for window in $(seq "$windows"); do
  wrk -t2 -c"$connections" -d"${window_seconds}s" --latency -s scripts/search-queries.lua \
    "http://127.0.0.1:$port" >"$run/wrk-$window.txt" 2>&1
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$run/importing"
wait "$importer" || true
importer=""
health=$(curl -fs "http://127.0.0.1:$port/healthz" || echo "no answer")
kill "$sampler" 2>/dev/null || true
sampler=""

export run windows window_seconds flat_percent count connections load_before load_after health
/usr/bin/python3 - <<'PYTHON'
import os, re, statistics, sys

run = os.environ["run"]
def ms(text):
    value = float(re.match(r"[\d.]+", text).group())
    return value / 1000 if text.endswith("us") else value * 1000 if text.endswith("s") and not text.endswith("ms") else value

print(f"Soak: {int(os.environ['windows']) * int(os.environ['window_seconds'])} s of /api/search "
      f"(wrk, {os.environ['connections']} connections, the queries of scripts/search-queries.lua) "
      f"while mediateka-index imports, prunes half of and re-imports {os.environ['count']} PDFs "
      f"in a loop; load average {os.environ['load_before']} before, {os.environ['load_after']} after.\n")
def clock(seconds):
    return f"{seconds // 60}:{seconds % 60:02d}"

print("| time (m:ss) | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
bad_answers = 0
window_seconds = int(os.environ["window_seconds"])
for window in range(1, int(os.environ["windows"]) + 1):
    text = open(f"{run}/wrk-{window}.txt").read()
    percentile = {m.group(1): ms(m.group(2)) for m in re.finditer(r"^\s+(50|90|99)%\s+(\S+)", text, re.M)}
    latency_max = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", text, re.M)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non_2xx = int(non_2xx.group(1)) if non_2xx else 0
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    bad_answers += non_2xx + socket_errors
    if not rps or not percentile:
        bad_answers += 1
        print(f"| {clock((window - 1) * window_seconds)}–{clock(window * window_seconds)} | wrk failed | | | | | | |")
        continue
    print(f"| {clock((window - 1) * window_seconds)}–{clock(window * window_seconds)} | {float(rps.group(1)):.0f} "
          f"| {percentile['50']:.2f} | {percentile['90']:.2f} | {percentile['99']:.2f} "
          f"| {ms(latency_max.group(1)):.1f} | {non_2xx} | {socket_errors} |")

samples = [tuple(int(v) for v in line.split()) for line in open(f"{run}/samples") if len(line.split()) == 3]
samples = [s for s in samples if s[1] > 0]
quarter = max(1, len(samples) // 4)
second, last = samples[quarter:2 * quarter], samples[-quarter:]
rss_second = statistics.mean(s[1] for s in second) / 1024
rss_last = statistics.mean(s[1] for s in last) / 1024
growth = (rss_last / rss_second - 1) * 100
fds = [s[2] for s in samples]
fd_second = max(s[2] for s in second)
fd_last = max(s[2] for s in last)
cycles = open(f"{run}/cycles").read().strip() if os.path.exists(f"{run}/cycles") else "0"
failures = open(f"{run}/import-failures").read().splitlines() if os.path.exists(f"{run}/import-failures") else []
# Each request is logged at info (docs/operations.md, "Logs"): only warnings and worse count.
server_errors = [line for line in open(f"{run}/server.err")
                 if line.strip() and not line.startswith(("mediateka-server: info: ",
                                                          "mediateka-server: debug: "))]

flat_memory = growth <= float(os.environ["flat_percent"])
flat_fds = fd_last <= fd_second + 2
healthy = '"status":"ok"' in os.environ["health"].replace(" ", "")
print()
print("| measure | value |")
print("| --- | --- |")
print(f"| samples (every few seconds) | {len(samples)} |")
print(f"| server RSS, first / last sample | {samples[0][1] / 1024:.1f} / {samples[-1][1] / 1024:.1f} MB |")
print(f"| server RSS, mean of the second / the last quarter | {rss_second:.1f} / {rss_last:.1f} MB ({growth:+.1f} %) |")
print(f"| server file descriptors, first / last / min / max | {fds[0]} / {fds[-1]} / {min(fds)} / {max(fds)} |")
print(f"| server file descriptors, max of the second / the last quarter | {fd_second} / {fd_last} |")
print(f"| import cycles (import, prune half, import again) | {cycles} |")
print(f"| import runs that failed | {len(failures)} |")
print(f"| non-2xx answers and socket errors | {bad_answers} |")
print(f"| warnings and errors on the server's stderr | {len(server_errors)} |")
print(f"| /healthz at the end | {os.environ['health']} |")
checks = {"no non-2xx answers or socket errors": bad_answers == 0,
          "no failed import": not failures, "no warning or error on the server's stderr": not server_errors,
          f"flat memory (within {os.environ['flat_percent']} %)": flat_memory,
          "flat file descriptors": flat_fds, "serving at the end": healthy}
print()
for name, ok in checks.items():
    print(f"- {'PASS' if ok else 'FAIL'}: {name}")
for line in failures + server_errors[:10]:
    print("  " + line.rstrip(), file=sys.stderr)
sys.exit(0 if all(checks.values()) else 1)
PYTHON
