#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz (docs/fuzzing.md) for SECONDS_PER_TARGET seconds
# each (default 60), one after another, with AddressSanitizer and UndefinedBehaviorSanitizer.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Builds into build-fuzz/ (BUILD_DIR to change) with clang and -DMEDIATEKA_FUZZ=ON. Each target
# starts from its seeds in tests/fuzz/corpus/<target>/ and grows its corpus in
# build-fuzz/corpus/<target>/; an input that crashes is written to build-fuzz/findings/<target>/.
# Exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build_dir=${BUILD_DIR:-build-fuzz}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for source in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMEDIATEKA_FUZZ=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}

results=()
failed=0
for target in "${targets[@]}"; do
  corpus=$build_dir/corpus/$target
  findings=$build_dir/findings/$target
  log=$build_dir/fuzz-$target.log
  mkdir -p "$corpus" "$findings" "tests/fuzz/corpus/$target"
  echo "== $target: $seconds s"
  status=0
  "$build_dir/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$findings/" \
    "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ -z "$runs" ]; then
    runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  fi
  found=$(find "$findings" -type f | wc -l)
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    failed=1
    grep -m3 -E 'ERROR|runtime error|SUMMARY' "$log" || true
    find "$findings" -type f
  fi
  results+=("$(printf '%-24s %6s s %12s runs %3s findings (exit %s)' \
    "$target" "$seconds" "${runs:-?}" "$found" "$status")")
done

echo
printf '%s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
  echo "Findings: see $build_dir/findings/ and $build_dir/fuzz-<target>.log" >&2
  exit 1
fi
