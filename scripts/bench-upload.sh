#!/usr/bin/env bash
# The server's memory while it receives one large upload through the librarian's desk
# (search-server/desk/): starts mediateka-server on the sample index with a librarian token,
# streams a multipart/form-data body of SIZE_MB MiB (default 1024) with curl, generated on the
# fly from /dev/zero through a pipe (no file of that size is written anywhere but the server's
# incoming folder), samples the server's VmRSS while it arrives, and prints a Markdown row for
# docs/performance.md ("Uploads"): size, time, throughput, RSS before, highest RSS sampled, VmHWM.
#
#   scripts/bench-upload.sh [SIZE_MB]
#
# Needs the binaries in BUILD_DIR (default build/). TARGET (default /api/admin/items) is the
# upload route posted to; TOKEN, a librarian token to use instead of making one. The sample
# index is made once in var/bench-upload/index.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
build_dir=${BUILD_DIR:-build}
target=${TARGET:-/api/admin/items}
root=var/bench-upload
for binary in mediateka-index mediateka-server; do
  [ -x "$build_dir/$binary" ] || { echo "bench-upload: build $build_dir/$binary first" >&2; exit 2; }
done
command -v curl >/dev/null || { echo "bench-upload: curl is needed" >&2; exit 2; }
mkdir -p "$root"

if [ ! -d "$root/index" ]; then
  "$build_dir/mediateka-index" import --config config/mediateka.toml --db "$root/index" \
    --manifest samples/manifest.csv >/dev/null 2>&1 || [ $? -lt 2 ]
fi
token=${TOKEN:-}
if [ -z "$token" ]; then
  token=$("$build_dir/mediateka-index" token create --config config/mediateka.toml \
    --db "$root/index" --role librarian --label "bench-upload" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
fi
[ -n "$token" ] || { echo "bench-upload: no librarian token" >&2; exit 2; }

# The repository's configuration with room for the body and its form around it.
sed 's/^db = .*/db = "index"/' config/mediateka.toml >"$root/mediateka.toml"
printf '\n[desk]\nmax_upload_mb = %d\n' $((size_mb + 1)) >>"$root/mediateka.toml"

server_out=$root/server.out
rm -f "$server_out"
"$build_dir/mediateka-server" --config "$root/mediateka.toml" --db "$root/index" --port 0 \
  >"$server_out" 2>"$root/server.log" &
server=$!
# The desk keeps what it accepted in <db>-desk/files/: the bench's copies go with the server.
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$root/index-desk/files"' EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|^mediateka-server listening on http://[^:]*:\([0-9]*\)/$|\1|p' "$server_out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "bench-upload: the server did not start" >&2; cat "$root/server.log" >&2; exit 2; }

status_kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$server/status"; }
rss_before=$(status_kb VmRSS)

boundary=benchUploadBoundary7MA4YWxkTrZu0gW
head_part=$(printf -- '--%s\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench upload\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename="zeros.pdf"\r\nContent-Type: application/pdf\r\n\r\n' "$boundary" "$boundary"; echo x)
head_part=${head_part%x}
tail_part=$(printf -- '\r\n--%s--\r\n' "$boundary"; echo x)
tail_part=${tail_part%x}
body_bytes=$((size_mb * 1048576))
length=$((${#head_part} + body_bytes + ${#tail_part}))

# Samples the server's resident memory every 0.1 s while the upload runs.
peak_file=$root/rss-peak
echo 0 >"$peak_file"
(
  peak=0
  while kill -0 "$server" 2>/dev/null; do
    rss=$(status_kb VmRSS || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss && echo "$peak" >"$peak_file"
    sleep 0.1
  done
) &
sampler=$!

started=$(date +%s.%N)
answer=$({
  printf '%s' "$head_part"
  head -c "$body_bytes" /dev/zero
  printf '%s' "$tail_part"
} | curl -sS -o "$root/answer.json" -w '%{http_code}' -X POST -T - \
  -H "Authorization: Bearer $token" -H "Content-Length: $length" -H "Transfer-Encoding:" \
  -H "Content-Type: multipart/form-data; boundary=$boundary" \
  "http://127.0.0.1:$port$target")
ended=$(date +%s.%N)
hwm=$(status_kb VmHWM)
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
left=$( (find "$root/index-desk/incoming" -type f 2>/dev/null || true) | wc -l)

awk -v size="$size_mb" -v start="$started" -v end="$ended" -v before="$rss_before" \
  -v peak="$(cat "$peak_file")" -v hwm="$hwm" -v status="$answer" -v left="$left" \
  -v target="$target" 'BEGIN {
    seconds = end - start
    printf "| %d MiB to %s (HTTP %s) | %.1f s | %.0f MiB/s | %.1f MB | %.1f MB | %.1f MB | %d |\n",
      size, target, status, seconds, size / seconds, before / 1024, peak / 1024, hwm / 1024, left
  }'
