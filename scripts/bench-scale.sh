#!/usr/bin/env bash
# Scale benchmark (issue 19): an archive of N items (default 100000, scripts/make_archive.py)
# imported into one index (time and peak memory, then a re-run with nothing changed), and its
# items dealt out to three shards (mediateka-bench-split-index: the same documents, no second
# import). Then /api/search under wrk (the 26 queries of scripts/search-queries.lua in turn,
# facets and snippets on) at 1 and 8 connections, against the one index and against the three
# shards with two of them remote (xapian-tcpsrv on 127.0.0.1), each with the answers of recent
# searches kept (the default) and with none kept; and a check that both answer every query of
# the list alike (total, facet counts, and the hits' ids and order), then that the shards answer
# without a remote shard stopped, and alike again once it is back.
# Prints Markdown tables for docs/performance.md.
#
#   scripts/bench-scale.sh [N]        (corpus and indexes are kept in var/scale/)
#   WRK_SECONDS=20 THREADS=4 JOBS=2 BUILD_DIR=build-release BUILD_TYPE=Release BUILD=1 (defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
jobs=${JOBS:-$(nproc)}
threads=${THREADS:-4}
seconds=${WRK_SECONDS:-20}
root=var/scale
corpus=$root/archive-$count
build_dir=${BUILD_DIR:-build-release}

scripts/install-deps.sh
command -v wrk >/dev/null && [ -x /usr/bin/time ] || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    wrk time >/dev/null
}
# BUILD=0: measure the programs already built in $build_dir.
[ "${BUILD:-1}" = 0 ] || BUILD_DIR=$build_dir BUILD_TYPE=${BUILD_TYPE:-Release} scripts/build.sh >/dev/null
mkdir -p "$root"

# The corpus (resumable: files already written are kept).
[ -f "$corpus/manifest.csv" ] || /usr/bin/python3 scripts/make_archive.py "$corpus" "$count"
megabytes=$(du -sm "$corpus" | cut -f1)

import() { # DB MANIFEST → "seconds peak_rss_mb"
  /usr/bin/time -f '%e %M' -o "$root/time.txt" "$build_dir/mediateka-index" import --quiet \
    --db "$1" --jobs "$jobs" --manifest "$2" >"$root/import.log" 2>&1 || true
  awk '{printf "%.1f %d\n", $1, $2 / 1024}' "$root/time.txt"
}
index=$root/index-$count
if [ ! -f "$index.imported" ]; then
  rm -rf "$index" "$index-thumbs"
  import "$index" "$corpus/manifest.csv" >"$index.imported"
fi
read -r import_full rss_full <"$index.imported"
read -r import_again rss_again <<<"$(import "$index" "$corpus/manifest.csv")"
if [ ! -d "$root/shard-$count-2" ]; then
  mkdir -p "$root/shards.tmp"
  "$build_dir/mediateka-bench-split-index" "$index" "$root"/shards.tmp/{0,1,2} >/dev/null
  for k in 0 1 2; do mv "$root/shards.tmp/$k" "$root/shard-$count-$k"; done
fi
items=$("$build_dir/mediateka-index" stats --db "$index" --json | python3 -c \
  'import json, sys; print(json.load(sys.stdin)["items"])')
index_mb=$(du -sm "$index" | cut -f1)

pids=()
trap 'for pid in "${pids[@]}"; do kill -- "$pid" 2>/dev/null || true; done' EXIT
wait_for() { for _ in $(seq 100); do curl -fs "$1" >/dev/null && return; sleep 0.2; done; }

# "median ms with 1 connection | median | p99 ms | requests/s with 8 | server RSS MB after"
measure() { # PORT SERVER_PID
  local url="http://127.0.0.1:$1/" single eight
  wrk -t1 -c8 -d5s -s scripts/search-queries.lua "$url" >/dev/null  # warm the caches
  single=$(wrk -t1 -c1 -d"${seconds}"s --latency -s scripts/search-queries.lua "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} END {printf "%.2f | %.2f", p50, p99}')
  eight=$(wrk -t2 -c8 -d"${seconds}"s --latency -s scripts/search-queries.lua "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /Requests\/sec/ {rps = $2}
    /Non-2xx/ {errors = $NF} END {printf "%.2f | %.2f | %.0f | %d", p50, p99, rps, errors}')
  echo "$single | $eight | $(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$2/status")"
}

port=${BENCH_PORT:-18090}
one_port=$((port + 3))
# Every server twice: with the answers of recent searches kept (the default, [server]
# search_cache_mb), and with none kept, so that every request searches.
printf '[server]\nsearch_cache_mb = 0\n' >"$root/no-cache.toml"
serve() { # PORT CONFIG... → starts a server, pid in server_pid
  "$build_dir/mediateka-server" "${@:2}" --port "$1" --threads "$threads" >/dev/null 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_for "http://127.0.0.1:$1/healthz"
}
serve "$one_port" --db "$index"
one=$(measure "$one_port" "$server_pid")
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
serve "$one_port" --config "$root/no-cache.toml" --db "$index"
one_searching=$(measure "$one_port" "$server_pid")

# Three shards: the first local, the other two behind xapian-tcpsrv (own sessions: it signals
# its process group when it stops).
config=$root/shards.toml
printf '[server]\nshard_timeout_ms = 2000\n[[shards]]\nname = "s0"\ndb = "%s"\n' \
  "$PWD/$root/shard-$count-0" >"$config"
declare -A remote_pids
serve_shard() { # K: shard K behind xapian-tcpsrv on port + K
  setsid xapian-tcpsrv --interface 127.0.0.1 --port $((port + $1)) --quiet \
    "$root/shard-$count-$1/public" >/dev/null 2>&1 &
  remote_pids[$1]=$!
  pids+=("-$!")
}
for k in 1 2; do
  serve_shard "$k"
  printf '[[shards]]\nname = "s%d"\nremote = "127.0.0.1:%d"\n' "$k" $((port + k)) >>"$config"
done
sed 's/^shard_timeout_ms = 2000$/&\nsearch_cache_mb = 0/' "$config" >"$root/shards-no-cache.toml"
sleep 1
serve "$port" --config "$config" --db "$root/shard-$count-0"
sharded=$(measure "$port" "$server_pid")
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
serve "$port" --config "$root/shards-no-cache.toml" --db "$root/shard-$count-0"
sharded_searching=$(measure "$port" "$server_pid")
# Item for item: every query of the list, 50 hits a page, from the one index and the shards.
compare() {
  python3 - "$one_port" "$port" <<'PY'
import json, re, sys, urllib.request
queries = re.findall(r'"(q=[^"]+)"', open("scripts/search-queries.lua").read())
queries += ["q=", "q=&type=radio&type=tv", "q=&campaign=Wolontariat&sort=oldest&page=3"]
def get(port, query):
    url = f"http://127.0.0.1:{port}/api/search?{query}&per_page=50"
    body = json.load(urllib.request.urlopen(url))
    # Hits are ranked by score, or in a date order by the item's date (its year when it has
    # none); hits of equal rank may come in either order, and at the page's end either of them
    # may be the one on the page. So: the ranks in order, and the ids of every rank but the
    # last, as sets.
    def date(hit):
        item = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/items/{hit['id']}"))
        return item.get("date") or str(item.get("year"))
    by_date = not body["query"] or "sort=" in query
    ranks = [date(h) if by_date else round(h["score"], 6) for h in body["hits"]]
    groups = {}
    for rank, hit in zip(ranks, body["hits"]):
        if rank != ranks[-1]:
            groups.setdefault(str(rank), set()).add(hit["id"])
    return body["total"], body["facets"], ranks, groups, body.get("missing_shards")
same = sum(get(int(sys.argv[1]), q) == get(int(sys.argv[2]), q) for q in queries)
print(f"{same} of {len(queries)}")
PY
}
alike=$(compare)

# A remote shard going down and coming back: every query answered without it (partial, the shard
# named, fewer items) within the shard timeout, then, once it answers again, alike again.
kill -- "-${remote_pids[2]}"; wait "${remote_pids[2]}" 2>/dev/null || true
down=$(python3 - "$one_port" "$port" <<'PY'
import json, re, sys, time, urllib.request
queries = re.findall(r'"(q=[^"]+)"', open("scripts/search-queries.lua").read()) + ["q="]
def get(port, query):
    start = time.monotonic()
    body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?{query}"))
    return body, (time.monotonic() - start) * 1000
ok, slowest = 0, 0.0
for query in queries:
    whole, _ = get(int(sys.argv[1]), query)
    body, ms = get(int(sys.argv[2]), query)
    slowest = max(slowest, ms)
    ok += (body.get("partial") is True and body.get("missing_shards") == ["s2"]
           and (body["total"] < whole["total"] or whole["total"] == 0))
print(f"{ok} of {len(queries)} answered without s2, slowest in {slowest:.0f} ms")
PY
)
serve_shard 2
back_from=$(date +%s.%N)
for _ in $(seq 300); do
  answer=$(curl -fs "http://127.0.0.1:$port/api/search?q=pomoc") &&
    ! grep -q '"missing_shards"' <<<"$answer" && break
  sleep 0.2
done
rejoined=$(awk -v from="$back_from" -v now="$(date +%s.%N)" 'BEGIN {printf "%.1f", now - from}')
alike_after=$(compare)

cat <<TABLE
Archive: $items items ($count PDFs of 1-3 pages, $megabytes MB; index $index_mb MB); $(nproc) cores;
import with $jobs jobs; server with $threads threads; wrk on the same machine, ${seconds} s per run,
the 26 queries of scripts/search-queries.lua in turn (facets and snippets on).

| import | seconds | peak RSS MB |
| --- | --- | --- |
| new index, $count sources | $import_full | $rss_full |
| again, nothing changed | $import_again | $rss_again |

| /api/search | median ms, 1 conn | p99 ms, 1 conn | median ms, 8 conns | p99 ms, 8 conns | requests/s, 8 conns | non-2xx | server peak RSS MB |
| --- | --- | --- | --- | --- | --- | --- | --- |
| one index | $one |
| one index, no answers kept | $one_searching |
| 3 shards, 2 remote | $sharded |
| 3 shards, 2 remote, no answers kept | $sharded_searching |

Queries answered alike by the one index and the shards, both searching (no answers kept): total,
facet counts, the scores (or for a date order the years) of the first 50 hits in order, and
which items hold each of them (all but the last, whose equals may fall either side of the page's
end): $alike.

A remote shard stopped (xapian-tcpsrv of s2 killed) under the shards' server, no answers kept:
$down (shard_timeout_ms 2000).
Started again, it was searched again after $rejoined s; then alike: $alike_after.
TABLE
